// The job-level store steps: create a job, add its rows, move it between states. Each runs inside one transaction.
import type { Job, NewRow } from '../../ports/domain.js';
import type { NewJob, TransitionRequest } from '../../ports/store.js';
import type { CounterDelta } from '../../domain/row-transitions.js';
import { decideNewRow, sumDeltas } from '../../domain/row-transitions.js';
import type { JobFields } from '../../domain/job-transitions.js';
import { assertTakesRows, decideJobTransition, decideQueuedRow, queuedRowsOf } from '../../domain/job-transitions.js';
import { assertTime, checkNewRow, checkTransitionRequest } from '../../domain/store-arguments.js';
import { applyCounters } from './counters.js';
import { toJob, type JobRecord } from './job-mapper.js';
import { usdToNanosOrNull } from '../../kernel/money.js';
import type { Statements } from './statements.js';
import { targetRecord } from '../shared/job-target-record.js';
import { applyAll } from './row-lifecycle.js';

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
  assertTakesRows(jobId, statements.jobState.get(jobId));
  const counters: CounterDelta[] = [];
  for (const row of rows) {
    checkNewRow(row);
    // The other columns start at their schema defaults, which are decideNewRow's fresh row.
    const { state, counters: added } = decideNewRow(row);
    try {
      statements.insertRow.run({
        jobId,
        rowId: row.rowId,
        rowNumber: row.rowNumber,
        inputs: JSON.stringify(row.inputs),
        inputHash: row.inputHash,
        status: state.status,
        outputs: row.outputs === undefined ? null : JSON.stringify(row.outputs),
        errorClass: state.errorClass,
        errorMessage: state.errorMessage,
      });
    } catch (error) {
      if (isConstraint(error, 'SQLITE_CONSTRAINT_PRIMARYKEY')) throw new Error(`row ${row.rowId} already exists in job ${jobId}`, { cause: error });
      throw error;
    }
    counters.push(added);
  }
  applyCounters(statements, jobId, sumDeltas(counters), null);
}

export function transitionJob(statements: Statements, jobId: string, request: TransitionRequest): Job | undefined {
  const budget = checkTransitionRequest(request);
  const job = statements.getJob.get(jobId);
  const transition = decideJobTransition(job && toJobFields(job), request, budget);
  if (transition === undefined) return undefined;
  const { rows: step, job: next } = transition;
  if (step !== null) applyAll(statements, jobId, statements.selectedRows(queuedRowsOf(step)).all(jobId), (row) => decideQueuedRow(step, row), null);
  const updated = statements.updateJobState.get({
    id: jobId,
    status: next.status,
    pauseReason: next.pauseReason,
    message: next.message,
    budget: next.budgetNanos,
    runningSince: next.runningSince,
    finishedAt: next.finishedAt,
    now: next.updatedAt,
  });
  return updated === undefined ? undefined : toJob(updated);
}

function toJobFields(job: JobRecord): JobFields {
  return { status: job.status, pauseReason: job.pause_reason, message: job.message, budgetNanos: job.budget_nanos, runningSince: job.running_since, finishedAt: job.finished_at };
}

function isConstraint(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
