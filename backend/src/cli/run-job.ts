// Follows a running job to the end in the terminal: progress, Ctrl-C, the output file, the summary and the exit code.
import type { Job } from '../ports/domain.js';
import type { EmbeddedRuntime } from './embedded-runtime.js';
import { EXIT } from './exit-codes.js';
import { writeFileResults } from './file-job.js';
import { progressWriter, type ProgressMode } from './progress-view.js';
import { summaryJson, summaryText } from './summary.js';

export interface RunJobOptions {
  readonly mode: ProgressMode;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** How long Ctrl-C lets in-flight calls finish before aborting them. Default 1200 ms. */
  readonly interruptGraceMs?: number;
}

function exitCodeFor(job: Job, interrupted: boolean): number {
  if (interrupted || job.status === 'cancelled') return EXIT.interrupted;
  return job.status === 'paused' ? EXIT.paused : EXIT.completed;
}

export async function followJob(runtime: EmbeddedRuntime, jobId: string, options: RunJobOptions): Promise<number> {
  const { engine } = runtime;
  const started = Date.now();
  const stop = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(EXIT.interrupted); // a second Ctrl-C: every step is already committed
    interrupted = true;
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const writer = progressWriter(options.mode, options.stdout, options.stderr);
  const before = await engine.counts(jobId);
  try {
    // Sampled four times a second in every mode, as on a terminal, so the command ends soon after the job does (the
    // writer decides how often a line is printed).
    for await (const p of engine.progress(jobId, { intervalMs: 250, signal: stop.signal })) writer.update(p);
    if (interrupted) await interrupt(runtime, jobId, options.interruptGraceMs ?? 1200);
    writer.end();
    await runtime.queue.stop();
    const { job, counts } = await engine.status(jobId);
    let written: Awaited<ReturnType<typeof writeFileResults>> | undefined;
    let writeFailure: string | undefined;
    try {
      written = job.target.kind === 'file' ? await writeFileResults(runtime.store, job) : undefined;
    } catch (error) {
      // Checked before the run, the destination can still go away during it: the results are safe, so say where.
      writeFailure = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    }
    const processed = counts.done + counts.failed - (before.done + before.failed);
    const summary = { job, counts, elapsedMs: Date.now() - started, processed, out: written?.out, interrupted };
    if (options.mode === 'json') options.stdout.write(`${summaryJson(summary)}\n`);
    else options.stderr.write(`${summaryText(summary)}\n`);
    if (writeFailure !== undefined) {
      options.stderr.write(`rowfill: could not write the enriched copy ${job.target.kind === 'file' ? job.target.out : ''}: ${writeFailure}; every result is kept in ${runtime.db.name} (job ${job.id})\n`);
      return EXIT.internal;
    }
    return exitCodeFor(job, interrupted);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

/** Pause so nothing new starts, give in-flight calls a moment to land (they are paid for), then abort the rest. */
async function interrupt(runtime: EmbeddedRuntime, jobId: string, graceMs: number): Promise<void> {
  const { engine } = runtime;
  try {
    await engine.pause(jobId);
  } catch {
    return; // already paused, completed or cancelled
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && (await engine.counts(jobId)).running > 0) await new Promise((r) => setTimeout(r, 50));
  engine.abortInFlight(jobId);
}
