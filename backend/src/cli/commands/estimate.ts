// `rowfill estimate <file>`: row count, rows skipped as unchanged, and a cost range — without spending anything.
import { fileTarget, openFileSource, outPathFor } from '../file-job.js';
import { configFor, openRuntime, type CliIo } from '../cli-io.js';
import { parseJobArgs, type RawJobFlags } from '../job-args.js';
import { existingOutputCells, overwriteNotice, overwriteRefusal } from '../overwrite.js';
import { usd } from '../progress-view.js';
import { researchEstimate } from '../research-estimate.js';

export async function estimateCommand(file: string, flags: RawJobFlags, io: CliIo): Promise<number> {
  const args = parseJobArgs(flags, { budgetRequired: false });
  const source = await openFileSource(file, args.config.inputs, args.config.outputs.map((o) => o.name));
  // Read-only: it may run beside a job that holds the lock, and creates no state file when there is none.
  const runtime = await openRuntime(configFor(io, args.db), { lock: false, readOnly: true, standIn: { latencyMs: 0 } });
  try {
    const base = await runtime.engine.estimate({ target: fileTarget(source, outPathFor(file, args.out)), config: args.config, rows: source.rows(args.selection, args.limit) });
    // Research mode: searches and what their results and pages add to prompts go inside the range.
    const research = researchEstimate(args.config, base, configFor(io, args.db).prices);
    const e = research ? { ...base, costLowUsd: base.costLowUsd + research.lowUsd, costHighUsd: base.costHighUsd + research.highUsd } : base;
    const overwrites = await existingOutputCells(source, args.selection, args.limit);
    if (args.json) {
      io.stdout.write(`${JSON.stringify({ type: 'estimate', ...e, ...(research ? { research: research.json } : {}), budgetUsd: args.config.budgetUsd, overwrites })}\n`);
      return 0;
    }
    const lines = [
      `${e.rows} rows · ${e.toRun} to run · ${e.skippedUnchanged} skipped (unchanged) · ${e.reused} repeat an earlier answer (free) · ${e.invalid} invalid (empty or oversized inputs)`,
      e.priced ? `Estimated cost with ${e.model}: ${usd(e.costLowUsd)} – ${usd(e.costHighUsd)} (hard worst case ${usd(e.worstCaseUsd)})` : `No price is known for ${e.model}; cost cannot be estimated.`,
    ];
    // Both prices whichever mode was asked for, so the choice is made knowing what it saves (research runs fast only).
    if (e.priced && !research) {
      const chosen = args.config.mode === 'cheap' ? ' (chosen)' : '';
      lines.push(`In cheap mode${chosen} (--mode cheap: the Batch API, results within 24 h): ${usd(e.cheapCostLowUsd)} – ${usd(e.cheapCostHighUsd)} (hard worst case ${usd(e.cheapWorstCaseUsd)})`);
    }
    if (research) lines.push(research.line);
    if (research && runtime.research.simulated) lines.push('Search: simulated — without TAVILY_API_KEY, enrich searches the local stand-in (its searches still count at the list price, as real ones would).');
    const chosenHigh = args.config.mode === 'cheap' ? e.cheapCostHighUsd : e.costHighUsd;
    if (args.config.budgetUsd !== null && e.priced && args.config.budgetUsd < chosenHigh) {
      lines.push(`The budget (${usd(args.config.budgetUsd)}) may not cover every row: the job will pause at the budget, and you can raise it to go on.`);
    }
    // enrich refuses these without --overwrite; the estimate says so rather than failing.
    if (overwrites.length > 0) lines.push(args.overwrite ? overwriteNotice(overwrites) : overwriteRefusal(overwrites, args.selection, args.limit));
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}
