// The job-level store steps: create a job, add its rows, move it between states. Each runs inside one transaction.
import type { ErrorClass } from '../../kernel/error-classes.js';
import type { Job, JobStatus, NewRow } from '../../ports/domain.js';
import type { NewJob, TransitionRequest } from '../../ports/store.js';
import { decideCancel, decideUndispatch } from '../../domain/row-transitions.js';
import { assertCount, assertTime } from '../../domain/store-arguments.js';
import { applyCounters } from './counters.js';
import { toJob } from './job-mapper.js';
import { usdToNanosOrNull } from '../../kernel/money.js';
import type { Statements } from './statements.js';
import { targetRecord } from '../shared/job-target-record.js';
import { applyAll } from './row-lifecycle.js';

const JOB_STATUSES: ReadonlySet<string> = new Set<JobStatus>(['preparing', 'running', 'paused', 'cancelled', 'completed']);
const NEW_ROW_STATUSES: ReadonlySet<string> = new Set(['queued', 'skipped', 'failed']);

export function createJob(statements: Statements, job: NewJob, now: number): void {
  assertTime('now', now);
  assertTime('createdAt', job.createdAt);
  try {
    statements.insertJob.run({
      id: job.id,
      owner: job.owner,
      ...targetRecord(job.target),
      config: JSON.stringify(job.config),
      configHash: job.configHash,
      budget: usdToNanosOrNull(job.budgetUsd, 'budgetUsd'),
      createdAt: job.createdAt,
      now,
      simulated: job.simulated ? 1 : 0,
    });
  } catch (error) {
    if (isConstraint(error, 'SQLITE_CONSTRAINT_PRIMARYKEY')) throw new Error(`job ${job.id} already exists`, { cause: error });
    throw error;
  }
}

/** All or nothing: a duplicate anywhere in the batch rolls the whole batch back (the caller's transaction). */
export function addRows(statements: Statements, jobId: string, rows: readonly NewRow[]): void {
  const job = statements.jobState.get(jobId);
  if (job === undefined) throw new Error(`job ${jobId} does not exist`);
  if (job.status !== 'preparing') throw new Error(`job ${jobId} is ${job.status}: rows can only be added while it is preparing`);
  let queued = 0;
  let skipped = 0;
  const failedByClass: Partial<Record<ErrorClass, number>> = {};
  for (const row of rows) {
    const status = row.status ?? 'queued';
    if (!NEW_ROW_STATUSES.has(status)) throw new RangeError(`row ${row.rowId}: a new row's status must be queued, skipped or failed, got ${String(status)}`);
    assertCount(`row ${row.rowId}: rowNumber`, row.rowNumber);
    // The port documents submit-time failures as `input_invalid`; a failed row always carries a class so it is counted.
    const errorClass = status === 'failed' ? (row.errorClass ?? 'input_invalid') : (row.errorClass ?? null);
    try {
      statements.insertRow.run({
        jobId,
        rowId: row.rowId,
        rowNumber: row.rowNumber,
        inputs: JSON.stringify(row.inputs),
        inputHash: row.inputHash,
        status,
        outputs: row.outputs === undefined ? null : JSON.stringify(row.outputs),
        errorClass,
        errorMessage: row.errorMessage ?? null,
      });
    } catch (error) {
      if (isConstraint(error, 'SQLITE_CONSTRAINT_PRIMARYKEY')) throw new Error(`row ${row.rowId} already exists in job ${jobId}`, { cause: error });
      throw error;
    }
    if (status === 'queued') queued++;
    else if (status === 'skipped') skipped++;
    else if (errorClass !== null) failedByClass[errorClass] = (failedByClass[errorClass] ?? 0) + 1;
  }
  const failed = rows.length - queued - skipped;
  applyCounters(statements, jobId, { total: rows.length, queued, skipped, failed, errors: failedByClass }, null);
}

export function transitionJob(statements: Statements, jobId: string, request: TransitionRequest): Job | undefined {
  assertTime('now', request.now);
  if (!JOB_STATUSES.has(request.to)) throw new RangeError(`unknown job status ${String(request.to)}`);
  const budget = request.budgetUsd === undefined ? undefined : usdToNanosOrNull(request.budgetUsd, 'budgetUsd');
  const job = statements.getJob.get(jobId);
  if (job === undefined || !request.from.includes(job.status)) return undefined;

  // A job that is not running holds no window slots: the tasks of undispatched rows then claim nothing.
  if (request.to === 'cancelled') applyAll(statements, jobId, statements.rowsByStatus.all(jobId, 'queued'), (row) => decideCancel(row, request.now), null);
  else if (request.to !== 'running') applyAll(statements, jobId, statements.queuedDispatched.all(jobId), (row) => decideUndispatch(row, Infinity), null);

  const entering = job.status !== request.to;
  const ends = request.to === 'completed' || request.to === 'cancelled';
  const updated = statements.updateJobState.get({
    id: jobId,
    status: request.to,
    // A pause reason describes a pause: it goes when the job leaves `paused`, unless the caller sets one.
    pauseReason: request.pauseReason !== undefined ? request.pauseReason : request.to === 'paused' ? job.pause_reason : null,
    message: request.message !== undefined ? request.message : job.message,
    budget: budget !== undefined ? budget : job.budget_nanos,
    runningSince: request.to === 'running' && entering ? request.now : job.running_since,
    finishedAt: ends ? (entering ? request.now : job.finished_at) : null,
    now: request.now,
  });
  return updated === undefined ? undefined : toJob(updated);
}

function isConstraint(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
