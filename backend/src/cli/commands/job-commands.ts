// `rowfill status|resume|retry-failed|cancel|jobs`: thin commands over the engine's job operations.
import { existsSync } from 'node:fs';
import type { SqliteBatchStore } from '../../adapters/sqlite/batch-store.js';
import type { SqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import type { BatchRecord } from '../../ports/batch-store.js';
import { JobError } from '../../kernel/job-errors.js';
import { targetKey, type Job } from '../../ports/domain.js';
import { configFor, openRuntime, progressMode, simulatedNotice, type CliIo } from '../cli-io.js';
import { openEmbeddedStore } from '../embedded-runtime.js';
import { assertFileCanExist, assertStateFile } from '../file-paths.js';
import { usd } from '../progress-view.js';
import { summaryJson, summaryText } from '../summary.js';
import { UsageError } from '../usage-error.js';

export interface JobFlags {
  readonly db?: string;
  readonly json?: boolean;
  readonly budget?: string;
}

/**
 * status and jobs only read: they open the store alone, not the runtime (queue, engine, model client, stand-in), whose
 * modules and set-up were most of their time on a 100,000-row state file. A missing state file reads as an empty one.
 */
async function readState<T>(io: CliIo, flags: JobFlags, read: (store: SqliteStore, batches: SqliteBatchStore) => Promise<T>): Promise<T> {
  const { dbPath } = configFor(io, flags.db);
  const exists = existsSync(dbPath);
  if (exists) assertStateFile(dbPath);
  else assertFileCanExist('--db', dbPath);
  const state = openEmbeddedStore(exists ? dbPath : ':memory:');
  try {
    return await read(state.store, state.batches);
  } finally {
    await state.close();
  }
}

export async function statusCommand(jobId: string | undefined, flags: JobFlags, io: CliIo): Promise<number> {
  return readState(io, flags, async (store, batches) => {
    // The job is read once (the newest one, when none is named), then its counters once.
    const job = jobId === undefined ? (await store.listJobs({ limit: 1 }))[0] : await store.getJob(jobId);
    if (!job) {
      if (jobId === undefined) throw new UsageError('No jobs yet. Start one with: rowfill enrich <file> …');
      throw new JobError('job_not_found', `No job ${jobId}.`);
    }
    const counts = await store.counts(job.id);
    const summary = { job, counts, elapsedMs: (job.finishedAt ?? job.updatedAt) - job.createdAt, out: job.target.kind === 'file' ? job.target.out : undefined, interrupted: false };
    io.stdout.write(`${flags.json ? summaryJson(summary) : summaryText(summary)}\n`);
    if (job.config.mode === 'cheap') io.stdout.write(batchLines(await batches.listBatches(job.id), flags.json ?? false));
    return 0;
  });
}

/** resume and retry-failed share this: reclaim what a crash left, apply the action, follow the job. */
async function continueJob(jobId: string, flags: JobFlags, io: CliIo, action: 'resume' | 'retry-failed'): Promise<number> {
  let budgetUsd: number | undefined;
  if (flags.budget !== undefined) {
    budgetUsd = Number(flags.budget);
    if (!Number.isFinite(budgetUsd) || budgetUsd <= 0) throw new UsageError(`--budget must be greater than 0, got ${flags.budget}`);
  }
  const runtime = await openRuntime(configFor(io, flags.db));
  try {
    const { engine } = runtime;
    let recovered = await engine.recoverExclusive(jobId);
    if (recovered.status === 'preparing') recovered = await (await import('../finish-intake.js')).finishFileIntake(runtime, recovered, io, flags.json ?? false);
    if (recovered.status === 'completed' && action === 'resume') throw new UsageError(`Job ${jobId} is already completed. To re-run its failed rows: rowfill retry-failed ${jobId}`);
    if (recovered.status === 'cancelled') throw new UsageError(`Job ${jobId} was cancelled; start a new one with rowfill enrich.`);
    if (action === 'resume' && recovered.status === 'paused') {
      try {
        await engine.resume(jobId, budgetUsd !== undefined ? { budgetUsd } : {});
      } catch (error) {
        // The engine names its field; the user typed --budget.
        if (error instanceof JobError && error.code === 'invalid_config') throw new UsageError(error.message.replace(/^budgetUsd:/, '--budget'));
        throw error;
      }
    }
    else if (budgetUsd !== undefined) throw new UsageError(`--budget applies to a paused job; job ${jobId} is ${recovered.status}.`);
    if (action === 'retry-failed') {
      const { requeued } = await engine.retryFailed(jobId);
      if (!flags.json) io.stderr.write(`Re-queued ${requeued} failed rows of job ${jobId}.\n`);
    }
    const notice = simulatedNotice(runtime);
    if (notice && !flags.json) io.stderr.write(`${notice}\n`);
    runtime.start();
    const { followJob } = await import('../run-job.js');
    return await followJob(runtime, jobId, { mode: progressMode(io, flags.json ?? false), stdout: io.stdout, stderr: io.stderr });
  } finally {
    await runtime.close();
  }
}

export const resumeCommand = (jobId: string, flags: JobFlags, io: CliIo) => continueJob(jobId, flags, io, 'resume');
export const retryFailedCommand = (jobId: string, flags: JobFlags, io: CliIo) => continueJob(jobId, flags, io, 'retry-failed');

export async function cancelCommand(jobId: string, flags: JobFlags, io: CliIo): Promise<number> {
  // Cancel is one store transition, safe beside a process running the job: that process sees it and stops.
  const runtime = await openRuntime(configFor(io, flags.db), { lock: false, readOnly: true, standIn: { latencyMs: 0 } });
  try {
    const job = await runtime.engine.cancel(jobId);
    const written = job.target.kind === 'file' ? await (await import('../file-job.js')).writeFileResults(runtime.store, job) : undefined;
    io.stderr.write(`Cancelled job ${jobId}.${written ? ` Results so far: ${written.out}` : ''}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}

/** Where a job's rows came from: a file's path, or the sheet's key. */
function sourceOf(job: Job): string {
  return job.target.kind === 'file' ? job.target.source : targetKey(job.target);
}

export async function jobsCommand(flags: JobFlags, io: CliIo): Promise<number> {
  // Each job once, with its counters once (its rows and spend).
  const jobs = await readState(io, flags, async (store) => Promise.all((await store.listJobs({ limit: 50 })).map(async (job) => ({ job, counts: await store.counts(job.id) }))));
  if (flags.json) {
    for (const { job, counts } of jobs) io.stdout.write(`${JSON.stringify({ type: 'job', id: job.id, status: job.status, pauseReason: job.pauseReason, totalRows: counts.total, spentUsd: counts.spentUsd, budgetUsd: job.budgetUsd, createdAt: new Date(job.createdAt).toISOString(), source: sourceOf(job) })}\n`);
    return 0;
  }
  if (jobs.length === 0) {
    io.stdout.write('No jobs yet.\n');
    return 0;
  }
  for (const { job, counts } of jobs) {
    const status = job.status === 'paused' ? `paused: ${job.pauseReason ?? 'user'}` : job.status;
    io.stdout.write(`${job.id}  ${status.padEnd(20)} ${String(counts.total).padStart(7)} rows  ${usd(counts.spentUsd).padStart(9)}  ${new Date(job.createdAt).toISOString().slice(0, 16).replace('T', ' ')}  ${sourceOf(job)}\n`);
  }
  return 0;
}

/** A cheap job's batches, one line each: its provider state (validating, in_progress, …), rows, and when its window ends. */
function batchLines(records: readonly BatchRecord[], json: boolean): string {
  if (json) {
    return records
      .map((b) => `${JSON.stringify({ type: 'batch', seq: b.seq, batchId: b.batchId, status: b.providerStatus, phase: b.phase, rows: b.rowCount, reservedUsd: b.reservedUsd, expiresAt: b.expiresAt === null ? null : new Date(b.expiresAt).toISOString(), message: b.message })}\n`)
      .join('');
  }
  if (records.length === 0) return 'Batches: none submitted yet\n';
  const lines = records.map((b) => {
    const state = b.phase === 'applied' ? `${b.providerStatus ?? 'not submitted'}, applied` : (b.providerStatus ?? b.phase);
    const by = b.expiresAt !== null && b.phase !== 'applied' ? `  answers by ${new Date(b.expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
    return `  batch ${b.seq}  ${state.padEnd(22)} ${String(b.rowCount).padStart(7)} rows  ${b.batchId ?? ''}${by}${b.message ? `  (${b.message})` : ''}\n`;
  });
  return `Batches:\n${lines.join('')}`;
}
