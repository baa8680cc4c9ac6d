// `rowfill enrich <file>`: start a job over a CSV/XLSX file and follow it to the end.
import { userInfo } from 'node:os';
import { openFileSource, outPathFor } from '../file-job.js';
import { configFor, openRuntime, progressMode, simulatedNotice, type CliIo } from '../cli-io.js';
import { parseJobArgs, type RawJobFlags } from '../job-args.js';
import { followJob } from '../run-job.js';

export async function enrichCommand(file: string, flags: RawJobFlags, io: CliIo): Promise<number> {
  const args = parseJobArgs(flags, { budgetRequired: true });
  const source = await openFileSource(file, args.config.inputs, args.config.outputs.map((o) => o.name));
  const config = configFor(io, args.db);
  const runtime = await openRuntime(config);
  try {
    const notice = simulatedNotice(runtime);
    if (notice && !args.json) io.stderr.write(`${notice}\n`);
    const out = outPathFor(file, args.out);
    const job = await runtime.engine.startJob({
      owner: userInfo().username,
      sheetKey: source.sheetKey,
      config: args.config,
      rows: source.rows(args.selection, args.limit),
      meta: { source: source.path, out, ...(source.table.sheetName ? { sheet: source.table.sheetName } : {}) },
    });
    if (!args.json) io.stderr.write(`Job ${job.id}: ${job.totalRows} rows from ${file} · model ${job.config.model} · ${job.config.workers} workers · budget $${job.budgetUsd ?? '∞'}\n`);
    runtime.start();
    return await followJob(runtime, job.id, { mode: progressMode(io, args.json), stdout: io.stdout, stderr: io.stderr });
  } finally {
    await runtime.close();
  }
}
