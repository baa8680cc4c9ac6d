// `rowfill enrich <file>`: start a job over a CSV/XLSX file and follow it to the end.
import { userInfo } from 'node:os';
import { assertOutFormat, fileTarget, openFileSource, outPathFor, peekRows } from '../file-job.js';
import { configFor, openRuntime, progressMode, searchSimulatedNotice, simulatedNotice, type CliIo } from '../cli-io.js';
import { parseJobArgs, type RawJobFlags } from '../job-args.js';
import { ALL_ROWS } from '../row-selection.js';
import { assertDistinctFiles, assertStateFile, assertWritableFile, freshStateFile } from '../file-paths.js';
import { existingOutputCells, overwriteRefusal } from '../overwrite.js';
import { followJob } from '../run-job.js';
import { UsageError } from '../usage-error.js';

export async function enrichCommand(file: string, flags: RawJobFlags, io: CliIo): Promise<number> {
  const args = parseJobArgs(flags, { budgetRequired: true });
  const config = configFor(io, args.db);
  const out = outPathFor(file, args.out);
  // The three files are told apart and the destinations tried before the input is read or anything is spent.
  assertDistinctFiles({ input: file, out, db: config.dbPath }, { out: args.out ?? out, db: args.db ?? config.dbPath });
  assertWritableFile('--out', out);
  assertStateFile(config.dbPath);
  const source = await openFileSource(file, args.config.inputs, args.config.outputs.map((o) => o.name));
  assertOutFormat(source, out);
  // A selection past the end of the file is bad input too: say so before a job (and a state file) is created. The
  // first row read for this is the job's first row too, so the file is read once (peekRows).
  const selected = await peekRows(source.rows(args.selection, args.limit));
  if (!selected.first) {
    const where = args.selection === ALL_ROWS ? '' : flags.rows ? ` in --rows ${flags.rows}` : ' in the selected rows';
    throw new UsageError(`No rows to enrich: ${file} has no data rows${where}.`);
  }
  // An output named like a column the user filled would replace their data: only when they say so.
  const overwrites = await existingOutputCells(source, args.selection, args.limit);
  if (overwrites.length > 0 && !args.overwrite) {
    await selected.close();
    throw new UsageError(overwriteRefusal(overwrites, args.selection, args.limit));
  }
  const state = freshStateFile(config.dbPath);
  const research = args.config.research?.enabled === true;
  const runtime = await openRuntime(config, args.searchRpm !== undefined ? { searchRpm: args.searchRpm } : {});
  let refused = false;
  try {
    const notice = simulatedNotice(runtime);
    if (notice && !args.json) io.stderr.write(`${notice}\n`);
    const searchNotice = searchSimulatedNotice(runtime, research);
    if (searchNotice && !args.json) io.stderr.write(`${searchNotice}\n`);
    const job = await runtime.engine
      .startJob({
        owner: userInfo().username,
        target: fileTarget(source, out, {
          // What `resume` needs to read the same rows again if this process dies before they are all stored.
          ...(args.rows ? { rows: args.rows } : {}),
          ...(args.limit !== undefined ? { limit: args.limit } : {}),
          // The summary labels searches simulated as it labels the model (the job's own flag is the model's).
          ...(research ? { search: runtime.research.simulated ? 'simulated' : 'tavily' } : {}),
          ...(overwrites.length > 0 ? { replace: overwrites.map((o) => o.column) } : {}),
        }),
        // Parsed once, from the flags and the config file (job-args.ts); the engine takes it as it is.
        config: args.config,
        rows: selected.rows,
      })
      .catch((error: unknown) => {
        refused = true;
        throw error;
      });
    const researching = job.config.research?.enabled ? ` · research: up to ${job.config.research.maxSearches} searches and ${job.config.research.maxPages} pages a row` : '';
    if (!args.json) io.stderr.write(`Job ${job.id}: ${(await runtime.engine.counts(job.id)).total} rows from ${file} · model ${job.config.model} · ${job.config.workers === 'auto' ? 'workers auto (as the rate limits allow)' : `${job.config.workers} workers`}${researching} · budget $${job.budgetUsd ?? '∞'}\n`);
    runtime.start();
    return await followJob(runtime, job.id, { mode: progressMode(io, args.json), stdout: io.stdout, stderr: io.stderr });
  } finally {
    await selected.close();
    await runtime.close();
    // A run refused on a first use (a model with no price, …) leaves no state file behind.
    if (refused) state.discard();
  }
}
