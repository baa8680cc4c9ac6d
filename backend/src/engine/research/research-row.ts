// What the row runner records for one research attempt: outputs with their sources column, or the typed error, and the spend.
import type { Outputs, Usage } from '../../ports/domain.js';
import type { RowfillError } from '../../kernel/errors.js';
import type { ResearchIo } from './research-loop.js';
import { withSources, type ResearchPlan } from './research-plan.js';

export type ResearchRowResult =
  | { readonly ok: true; readonly outputs: Outputs; readonly usage: Usage; readonly costUsd: number; readonly searches: number; readonly droppedSources: number }
  | { readonly ok: false; readonly error: RowfillError; readonly usage: Usage; readonly costUsd: number; readonly searches: number; readonly droppedSources: number };

/** One attempt of a research row. `costUsd` is reported usage at the model's price plus billed searches: the row's spend. */
export async function researchRow(plan: ResearchPlan, inputs: Readonly<Record<string, string>>, io: ResearchIo): Promise<ResearchRowResult> {
  const outcome = await plan.run(inputs, io);
  const spent = { usage: outcome.spend.usage, costUsd: plan.spendUsd(outcome.spend), searches: outcome.spend.searches, droppedSources: outcome.droppedSources };
  return outcome.ok ? { ok: true, outputs: withSources(outcome.outputs, outcome.sources), ...spent } : { ok: false, error: outcome.error, ...spent };
}

/**
 * How long a research row's lease must last: every model call at the attempt's timeout cap, and every tool call at
 * `toolCallMs` (the page fetcher's or search adapter's own cap), plus the engine's margin.
 */
export function researchLeaseMs(plan: ResearchPlan, attemptTimeoutCapMs: number, toolCallMs: number, marginMs: number): number {
  return plan.maxModelCalls * attemptTimeoutCapMs + plan.maxToolCalls * toolCallMs + marginMs;
}
