// What moving a job between states does, decided once for every store: the job's new fields and what its queued rows need.
//
// Pure, like row-transitions.ts: a store reads the job, calls decideJobTransition, writes the decided fields and then
// applies decideQueuedRow to each row `queuedRowsOf` selects (SQLite in the same transaction; Firestore marks the job
// and works the rows off in batches, adapters/firestore/finish-transition.ts).
import type { JobStatus, PauseReason } from '../ports/domain.js';
import type { TransitionRequest } from '../ports/store.js';
import type { RowChange, RowSelection, RowState } from './row-transitions.js';
import { decideCancel, decideUndispatch, jobHoldsSlots } from './row-transitions.js';

/** The fields of a stored job a transition reads and writes. */
export interface JobFields {
  readonly status: JobStatus;
  readonly pauseReason: PauseReason | null;
  readonly message: string | null;
  readonly budgetNanos: number | null;
  /** When the job last entered `running` (its creation time until then). */
  readonly runningSince: number;
  /** When the job entered `completed` or `cancelled`; null while it can still run. */
  readonly finishedAt: number | null;
}

/**
 * What a transition leaves for the job's queued rows: a job entering `cancelled` cancels them all at `at`; a job
 * entering any other state but `running` takes back their window slots (only a running job holds slots).
 */
export interface QueuedRowsStep {
  readonly cancel: boolean;
  /** When the transition happened: the cancelled rows' finishedAt. */
  readonly at: number;
}

export interface JobTransition {
  /** The job's fields after the transition; `updatedAt` is the request's time. */
  readonly job: JobFields & { readonly updatedAt: number };
  /** Null: the queued rows stay as they are (the job enters `running`). */
  readonly rows: QueuedRowsStep | null;
}

/**
 * Moves `job` to `request.to` if its status is one of `request.from` (undefined otherwise, and for a job that is
 * gone). `budgetNanos` is the request's budget as checked by checkTransitionRequest (undefined: unchanged). A
 * transition to the status the job already has (a budget raise while running, a pause reason changed) keeps the times
 * it entered that status.
 */
export function decideJobTransition(job: JobFields | undefined, request: TransitionRequest, budgetNanos: number | null | undefined): JobTransition | undefined {
  if (job === undefined || !request.from.includes(job.status)) return undefined;
  const { to, now } = request;
  const entering = job.status !== to;
  const ends = to === 'completed' || to === 'cancelled';
  return {
    job: {
      status: to,
      // A pause reason describes a pause: it goes when the job leaves `paused`, unless the caller sets one.
      pauseReason: request.pauseReason !== undefined ? request.pauseReason : to === 'paused' ? job.pauseReason : null,
      message: request.message !== undefined ? request.message : job.message,
      budgetNanos: budgetNanos !== undefined ? budgetNanos : job.budgetNanos,
      runningSince: to === 'running' && entering ? now : job.runningSince,
      finishedAt: ends ? (entering ? now : job.finishedAt) : null,
      updatedAt: now,
    },
    // A job that is not running holds no window slots: the tasks of undispatched rows then claim nothing.
    rows: to === 'cancelled' ? { cancel: true, at: now } : jobHoldsSlots(to) ? null : { cancel: false, at: now },
  };
}

/** The rows a step changes: every queued row on a cancel, else the queued rows holding a slot. */
export const CANCELLED_ON_CANCEL: RowSelection = { status: 'queued' };
export const UNDISPATCHED_ON_LEAVING_RUNNING: RowSelection = { status: 'queued', dispatched: true };

export function queuedRowsOf(step: QueuedRowsStep): RowSelection {
  return step.cancel ? CANCELLED_ON_CANCEL : UNDISPATCHED_ON_LEAVING_RUNNING;
}

/** What `step` does to one row (undefined: nothing, e.g. a row that is no longer queued). */
export function decideQueuedRow(step: QueuedRowsStep, row: RowState): RowChange | undefined {
  return step.cancel ? decideCancel(row, step.at) : decideUndispatch(row, Infinity);
}

/** Rows are added only while a job is preparing (its intake): anything else is the caller's mistake, refused. */
export function assertTakesRows<J extends { readonly status: JobStatus }>(jobId: string, job: J | undefined): asserts job is J {
  if (job === undefined) throw new Error(`job ${jobId} does not exist`);
  if (job.status !== 'preparing') throw new Error(`job ${jobId} is ${job.status}: rows can only be added while it is preparing`);
}
