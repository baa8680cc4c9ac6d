// A row's answer, one code path for fast rows (row-runner.ts) and cheap rows (batch/batch-apply.ts): the model call,
// validation, the one repair, the check that the row stayed within its reservation (decision 26), and what a failure
// comes to.
import { ZERO_USAGE, type Job, type Outputs, type PauseReason, type Row, type Usage } from '../ports/domain.js';
import type { ChatMessage, CompletionResult } from '../ports/model.js';
import type { RowOutcome } from '../ports/store.js';
import { AnswerTooLargeError, BudgetError, CancelledError, OutputInvalidError, RateLimitError, TimeoutError, asRowfillError, type RowfillError } from '../kernel/errors.js';
import type { EngineContext } from './context.js';
import type { JobPlan } from './job-plan.js';
import { addUsage } from './pricing.js';
import { repairMessages } from './prompt.js';
import type { ResearchTurn } from './research/research-loop.js';

export interface Answer {
  readonly outputs: Outputs;
  readonly usage: Usage;
  /** Set when the row cost more than its reservation (the provider broke the token cap): the job pauses with this. */
  readonly overrun: string | undefined;
  /** What the row's calls cost (a cheap row: its batch answer at batch prices, a repair at the full price). */
  readonly costUsd: number;
}

/** A row's first answer: a fast call's, or a batch's output line. */
export interface FirstAnswer {
  readonly content: string;
  readonly usage: Usage;
}

/** What a row's calls may use, and what they cost. */
export interface AnswerTerms {
  /** The rate limiter's token estimate for one call of the row. */
  readonly estimate: number;
  /** The USD reserved for the row: its worst case. */
  readonly reserveUsd: number;
  /** How long the repair may take. */
  readonly timeoutMs: number;
  /** What the row's calls cost: its first answer, and its repair once there is one. */
  cost(first: Usage, repair?: Usage): number;
  /** Runs the repair call when its turn comes (cheap mode bounds how many go at once); default: at once. */
  readonly repairTurn?: <T>(call: () => Promise<T>) => Promise<T>;
}

/** An attempt that failed after spending: its typed error, and what its answered calls (and billed searches) cost. */
export class SpentFailure extends Error {
  constructor(
    readonly error: RowfillError,
    readonly usage: Usage,
    readonly costUsd: number,
  ) {
    super(error.message);
  }
}

/** The answer still did not match the output columns after its one repair. */
export class AnswerInvalid extends OutputInvalidError {
  constructor(
    message: string,
    readonly usage: Usage,
    readonly costUsd: number,
    readonly overrun: string | undefined,
  ) {
    super(message);
  }
}

/** The first answer already cost more than the row's reservation: no repair call; the row goes back and the job pauses. */
export class OverReservation extends BudgetError {
  constructor(
    message: string,
    readonly usage: Usage,
    readonly costUsd: number,
  ) {
    super(message);
  }
}

/** What a failed attempt spent and why, however it failed. */
export interface Failure {
  readonly error: RowfillError;
  readonly usage: Usage;
  readonly costUsd: number;
  /** The sentence the job pauses with when the row also cost more than its reservation. */
  readonly overrun: string | undefined;
}

/** What an attempt that threw comes to: its typed error, and what it spent. */
export function failureOf(thrown: unknown, reserveUsd: number): Failure {
  const spent = thrown instanceof SpentFailure || thrown instanceof AnswerInvalid || thrown instanceof OverReservation ? thrown : undefined;
  const error = asRowfillError(thrown instanceof SpentFailure ? thrown.error : thrown);
  // An answer refused unread was billed for usage nobody saw: its whole reservation counts as spent, as a crash's does.
  const costUsd = error instanceof AnswerTooLargeError ? reserveUsd : (spent?.costUsd ?? 0);
  return { error, usage: spent?.usage ?? ZERO_USAGE, costUsd, overrun: thrown instanceof AnswerInvalid ? thrown.overrun : undefined };
}

/**
 * A failure's row outcome: a cancel releases the row, an error that pauses the job releases it and names the pause, a
 * retryable one with attempts left goes back as `retry` says (when, and with what message), anything else fails.
 */
export function failureOutcome(job: Job, row: Row, failure: Failure, retry: (error: RowfillError) => { readonly nextAttemptAt: number; readonly message: string }): { outcome: RowOutcome; pause: RowfillError | undefined } {
  const { error, usage, costUsd } = failure;
  if (error instanceof CancelledError) return { outcome: { kind: 'release', usage, costUsd }, pause: undefined };
  if (error.effect === 'pause') return { outcome: { kind: 'release', usage, costUsd }, pause: error };
  if (error.effect === 'retry' && row.attempt < job.config.maxAttempts) {
    return { outcome: { kind: 'retry', errorClass: error.errorClass, ...retry(error), usage, costUsd }, pause: undefined };
  }
  return { outcome: { kind: 'failed', errorClass: error.errorClass, message: error.message, usage, costUsd }, pause: undefined };
}

/** The pause an error that pauses the job asks for. */
export function pauseReasonOf(error: RowfillError): Extract<PauseReason, 'auth' | 'budget' | 'quota'> {
  return error.errorClass === 'auth' ? 'auth' : error.errorClass === 'budget' ? 'budget' : 'quota';
}

export class RowAnswers {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * Validates a row's first answer and makes the one repair call an invalid one gets — unless the row is already over
   * its reservation. Returns the answer, or throws AnswerInvalid (still invalid after the repair), OverReservation (no
   * repair: over the reservation) or SpentFailure (the repair call failed; the first answer's usage is still charged).
   */
  async complete(job: Job, plan: JobPlan, messages: ChatMessage[], first: FirstAnswer, terms: AnswerTerms): Promise<Answer> {
    const parsed = plan.schema.parse(first.content);
    const firstCost = terms.cost(first.usage);
    const firstOverrun = await this.overrun(job, first.usage, first.usage, firstCost, terms.reserveUsd);
    if (parsed.ok) return { outputs: parsed.outputs, usage: first.usage, costUsd: firstCost, overrun: firstOverrun };
    if (firstOverrun) throw new OverReservation(firstOverrun, first.usage, firstCost);
    let repair: CompletionResult;
    try {
      const call = () => this.call(job, plan, repairMessages(messages, first.content, parsed.problem), terms.timeoutMs, terms.estimate, true);
      repair = await (terms.repairTurn ? terms.repairTurn(call) : call());
    } catch (thrown) {
      throw new SpentFailure(asRowfillError(thrown), first.usage, firstCost);
    }
    const usage = addUsage(first.usage, repair.usage);
    const costUsd = terms.cost(first.usage, repair.usage);
    const overrun = await this.overrun(job, repair.usage, usage, costUsd, terms.reserveUsd);
    const reparsed = plan.schema.parse(repair.content);
    if (reparsed.ok) return { outputs: reparsed.outputs, usage, costUsd, overrun };
    throw new AnswerInvalid(`The model's answer did not match the output columns after one repair: ${reparsed.problem}`, usage, costUsd, overrun);
  }

  /**
   * After each call: a call over the token cap raises the model's ceiling (later reservations cover it, fast and cheap),
   * and a row whose calls so far cost more than its reservation gets the sentence its job pauses with (the budget no
   * longer holds by reservation alone).
   */
  async overrun(job: Job, call: Usage, total: Usage, costUsd: number, reservedUsd: number): Promise<string | undefined> {
    const cap = job.config.maxOutputTokens;
    const now = this.ctx.clock.now();
    if (call.outputTokens > cap) await this.ctx.ceilings.note(job.config.model, call.outputTokens, now);
    // Reservations are stored in whole nano-dollars; a nano of rounding is not an overrun.
    if (costUsd <= reservedUsd + 1e-9) return undefined;
    const ceiling = await this.ctx.ceilings.outputTokens(job, now);
    return (
      `The provider reported ${call.outputTokens} completion tokens (and ${call.inputTokens} prompt tokens) for a call capped at ${cap}: ` +
      `the row cost $${costUsd.toFixed(4)}, more than the $${reservedUsd.toFixed(4)} reserved for its worst case. ` +
      `Paused so the budget holds; rows of ${job.config.model} now reserve for ${ceiling} completion tokens per call, so resuming stays within the budget.`
    );
  }

  /**
   * One chat call within a timeout, cancellable with the job; what it reports feeds the rate limiter and the job's
   * window. A repair (`isRepair`) is a second request: it waits its turn in the rate limiter like any other first.
   */
  async call(job: Job, plan: JobPlan, messages: ChatMessage[], timeoutMs: number, estimate: number, isRepair = false, turn?: ResearchTurn): Promise<CompletionResult> {
    const { clock, limiter } = this.ctx;
    const model = job.config.model;
    if (isRepair) await this.ctx.rateGate.wait(model, estimate, Number.POSITIVE_INFINITY);
    const controller = new AbortController();
    const untrack = this.ctx.trackCall(job.id, controller);
    const startedAt = clock.now();
    const cancelTimer = this.ctx.timer(timeoutMs, () => controller.abort(new TimeoutError(`No answer from the model within ${Math.round(timeoutMs / 1000)} s.`)));
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true });
    });
    try {
      const result = await Promise.race([
        this.ctx.deps.model.complete({
          model,
          messages,
          schemaName: turn?.schemaName ?? 'row_outputs',
          schema: turn?.schema ?? plan.schema.jsonSchema,
          maxOutputTokens: job.config.maxOutputTokens,
          signal: controller.signal,
          ...(turn?.tools ? { tools: turn.tools, toolChoice: turn.toolChoice ?? 'auto' } : {}),
        }),
        aborted,
      ]);
      const now = clock.now();
      limiter.observe(model, result.rateLimit, now);
      limiter.reconcile(model, estimate, result.usage.inputTokens + result.usage.outputTokens, now);
      this.ctx.onCallAnswered(job, now - startedAt, result.usage.inputTokens + result.usage.outputTokens);
      return result;
    } catch (thrown) {
      const error = asRowfillError(thrown);
      if (error instanceof RateLimitError) {
        const now = clock.now();
        this.ctx.onCallRateLimited(job, now);
        if (error.retryAfterMs !== undefined) limiter.backOff(model, error.retryAfterMs, now);
      }
      throw error;
    } finally {
      cancelTimer();
      untrack();
      aborted.catch(() => undefined);
    }
  }
}
