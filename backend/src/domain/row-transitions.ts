// The row state machine, decided once for every store (backend/src/domain: shared by the engine and the Store adapters, importing only the kernel and ports): what claim, finish, lease expiry, stale dispatch, re-queue and cancel do to a row and its job's counters.
//
// Each function is pure: (row as read, job status/budget as read, request, now) → a refusal or a change (the row's
// new field values and how the job's counters and money move). A store reads what the decision needs, calls the
// function, and applies the change atomically (SQLite: one immediate transaction; Firestore: an optimistic commit
// pinned on what it read, decision 15). Money is integer nano-dollars.
import type { ErrorClass } from '../kernel/error-classes.js';
import type { JobStatus, NewRow, Outputs, Row, RowCounts, RowStatus } from '../ports/domain.js';
import type { ClaimRequest, ClaimResult, FinishRequest } from '../ports/store.js';
import type { CheckedUsage } from './store-arguments.js';

/**
 * The fields of a stored row the transitions read and write: the port's Row's own state fields, with money in whole
 * nano-dollars and usage in its parts as the stores keep them, and the lease token.
 */
export interface RowState
  extends Pick<Row, 'status' | 'dispatched' | 'dispatchSeq' | 'attempt' | 'nextAttemptAt' | 'leaseUntil' | 'cached' | 'errorClass' | 'errorMessage' | 'flushed' | 'finishedAt'> {
  /** Grows on every claim; the lease token. */
  readonly leaseSeq: number;
  readonly reservedNanos: number;
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
  readonly costNanos: number;
}

/** The row's new values; omitted fields keep theirs. `outputs` is absent from RowState so a read never parses it. */
export type RowPatch = Partial<RowState> & { readonly outputs?: Outputs | null };

/** How much each job counter moves; omitted fields move by zero. The one delta shape both stores apply. */
export interface CounterDelta extends Partial<RowCounts> {
  /** Queued rows holding a window slot; with `running` this is the in-flight total the dispatch window caps. */
  readonly queuedDispatched?: number;
  readonly spentNanos?: number;
  readonly reservedNanos?: number;
  /** 1: the row finished done/failed and takes the job's next finish sequence number (recentOutcomes' order). */
  readonly finishSeq?: 0 | 1;
  /** errorsByClass moves (a row failed, or a failed row was re-queued). */
  readonly errors?: Readonly<Partial<Record<ErrorClass, number>>>;
  /** retriesByClass moves (a row was sent back for another attempt). */
  readonly retries?: Readonly<Partial<Record<ErrorClass, number>>>;
}

/** What a step needs of the job: its status and, for a claim, how much may still be reserved. */
export interface JobSnapshot {
  readonly status: JobStatus;
  /**
   * budget − spent − reserved, in nanos, or null for no budget. Spent includes the reservations of expired leases
   * (decision 5: an orphaned reservation counts as spent). Firestore passes its counter shard's allowance on the fast
   * path and the job's whole free budget on the slow one.
   */
  readonly budgetLeftNanos?: number | null;
}

export interface RowChange {
  readonly ok: true;
  readonly patch: RowPatch;
  readonly counters: CounterDelta;
}

export type ClaimRefusal = Exclude<ClaimResult, { readonly ok: true }>;
export type ClaimDecision = { readonly ok: false; readonly refusal: ClaimRefusal } | RowChange;
/** A finish refused: the lease token is not the row's current lease (or the row or job is gone). Nothing changes. */
export type FinishDecision = { readonly ok: false; readonly refusal: 'stale_lease' } | RowChange;

const NOT_CLAIMABLE: ClaimDecision = { ok: false, refusal: { ok: false, reason: 'not_claimable' } };
const JOB_NOT_RUNNING: ClaimDecision = { ok: false, refusal: { ok: false, reason: 'job_not_running' } };
const OVER_BUDGET: ClaimDecision = { ok: false, refusal: { ok: false, reason: 'budget' } };
const STALE: FinishDecision = { ok: false, refusal: 'stale_lease' };

/**
 * Only a running job's rows hold window slots: a slot given to a paused job would sit idle and shrink the window on
 * resume. So dispatch gives slots only in a running job, a retry keeps its slot only there, and a job leaving
 * `running` takes back its queued rows' slots (job-transitions.ts).
 */
export function jobHoldsSlots(status: JobStatus): boolean {
  return status === 'running';
}

/**
 * How many rows one dispatch may give slots, in a job that holds slots (jobHoldsSlots) with `inFlight` rows queued
 * with a slot or running: at most `limit`, and never so many that more than `maxInFlight` would be in flight.
 */
export function dispatchRoom(inFlight: number, request: { readonly limit: number; readonly maxInFlight: number }): number {
  return Math.max(0, Math.min(request.limit, request.maxInFlight - inFlight));
}

/**
 * Rows picked by stored fields alone: the equality a store's query (an SQL WHERE, Firestore `where`s) spells before
 * the decision runs on each row it read. A store keeps such a condition for bulk speed (one ordered, indexed query
 * instead of deciding on every row of the job); the unit tests check that each selection and its decision agree over
 * every row status, and the SQLite statements are checked against the decisions the same way.
 */
export interface RowSelection {
  readonly status: RowStatus;
  /** Absent: either. */
  readonly dispatched?: boolean;
}

/** Whether `row` is one `selection` picks. */
export function selects(selection: RowSelection, row: Pick<RowState, 'status' | 'dispatched'>): boolean {
  return row.status === selection.status && (selection.dispatched === undefined || row.dispatched === selection.dispatched);
}

/** The rows decideDispatch takes: queued, without a slot. A store picks them in row order, `dispatchRoom` at a time. */
export const DISPATCHABLE: RowSelection = { status: 'queued', dispatched: false };

/** The fields decideDispatch reads: a store picking a window's worth of rows reads only these. */
export type DispatchState = Pick<RowState, 'status' | 'dispatched' | 'dispatchSeq' | 'nextAttemptAt'>;

/**
 * A queued row without a slot takes one under the next dispatch generation (a task of an earlier generation then
 * claims nothing). nextAttemptAt is raised to now so that "should have run by" (decideUndispatch) counts from the
 * dispatch, not from submit. Undefined: the row is not dispatchable.
 */
export function decideDispatch(row: DispatchState, now: number): RowChange | undefined {
  if (!selects(DISPATCHABLE, row)) return undefined;
  return {
    ok: true,
    patch: { dispatched: true, dispatchSeq: row.dispatchSeq + 1, nextAttemptAt: Math.max(row.nextAttemptAt, now) },
    counters: { queuedDispatched: 1 },
  };
}

/** A new row's first state and the counts it adds to its job. */
export interface NewRowDecision {
  readonly state: RowState;
  readonly counters: CounterDelta;
}

/** Every field of a row that has never been dispatched or run. */
const FRESH_ROW: RowState = {
  status: 'queued',
  dispatched: false,
  dispatchSeq: 0,
  attempt: 0,
  nextAttemptAt: 0,
  leaseUntil: null,
  leaseSeq: 0,
  reservedNanos: 0,
  cached: false,
  errorClass: null,
  errorMessage: null,
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  costNanos: 0,
  flushed: false,
  finishedAt: null,
};

const NEW_QUEUED: CounterDelta = { total: 1, queued: 1 };
const NEW_SKIPPED: CounterDelta = { total: 1, skipped: 1 };

/**
 * A row added to a preparing job starts `queued`, unless it was decided at submit time: `skipped` (unchanged since an
 * earlier run) or `failed`. A failed row always carries a class so it is counted: the port documents submit-time
 * failures as `input_invalid`, the default. The row's number and status are checked first (checkNewRow).
 */
export function decideNewRow(row: NewRow): NewRowDecision {
  const status = row.status ?? 'queued';
  const errorMessage = row.errorMessage ?? null;
  if (status === 'failed') {
    const errorClass = row.errorClass ?? 'input_invalid';
    return { state: { ...FRESH_ROW, status, errorClass, errorMessage }, counters: { total: 1, failed: 1, errors: { [errorClass]: 1 } } };
  }
  const state: RowState = { ...FRESH_ROW, status, errorClass: row.errorClass ?? null, errorMessage };
  return { state, counters: status === 'queued' ? NEW_QUEUED : NEW_SKIPPED };
}

/**
 * Checks in this order: job exists, job running, row claimable by this dispatch generation, retry time come, budget.
 * On success the row runs under a fresh lease and its worst case (`reserveNanos`) moves into the job's reserved total.
 */
export function decideClaim(row: RowState | undefined, job: JobSnapshot | undefined, request: ClaimRequest, reserveNanos: number): ClaimDecision {
  if (job === undefined) return NOT_CLAIMABLE;
  if (job.status !== 'running') return JOB_NOT_RUNNING;
  if (row === undefined || row.status !== 'queued' || !row.dispatched || row.dispatchSeq !== request.dispatchSeq) return NOT_CLAIMABLE;
  if (row.nextAttemptAt > request.now) return { ok: false, refusal: { ok: false, reason: 'not_yet', retryAt: row.nextAttemptAt } };
  // Integer nanos: the comparison is exact, so a budget that fits exactly N reservations admits exactly N.
  const left = job.budgetLeftNanos ?? null;
  if (left !== null && reserveNanos > left) return OVER_BUDGET;
  return {
    ok: true,
    patch: {
      status: 'running',
      attempt: row.attempt + 1,
      leaseUntil: request.now + request.leaseMs,
      // The lease token is a per-row sequence that only grows, so a token from any earlier claim never matches again.
      leaseSeq: row.leaseSeq + 1,
      reservedNanos: reserveNanos,
    },
    counters: { queued: -1, queuedDispatched: -1, running: 1, reservedNanos: reserveNanos },
  };
}

/**
 * Records a claimed row's outcome if `leaseToken` is still its lease: the reservation is released, the reported cost
 * becomes spend (usage accumulates on the row over attempts). done/failed are terminal; retry goes back to queued and
 * keeps its slot only in a running job; release (pause or cancel under the row) does not count the attempt.
 */
export function decideFinish(row: (RowState & { readonly leaseSeq: number }) | undefined, job: JobSnapshot | undefined, request: FinishRequest, usage: CheckedUsage): FinishDecision {
  if (row === undefined || row.status !== 'running' || row.leaseSeq !== request.leaseToken) return STALE;
  if (job === undefined) return STALE;
  const { outcome, now } = request;
  const used = {
    inputTokens: row.inputTokens + usage.inputTokens,
    cachedInputTokens: row.cachedInputTokens + usage.cachedInputTokens,
    outputTokens: row.outputTokens + usage.outputTokens,
    costNanos: row.costNanos + usage.costNanos,
    leaseUntil: null,
    reservedNanos: 0,
    flushed: false,
  };
  const money = { spentNanos: usage.costNanos, reservedNanos: -row.reservedNanos };
  if (outcome.kind === 'done') {
    return {
      ok: true,
      patch: { ...used, status: 'done', dispatched: false, outputs: outcome.outputs, cached: outcome.cached, errorClass: null, errorMessage: null, finishedAt: now },
      counters: { running: -1, done: 1, cached: outcome.cached ? 1 : 0, finishSeq: 1, ...money },
    };
  }
  if (outcome.kind === 'failed') {
    return {
      ok: true,
      patch: { ...used, status: 'failed', dispatched: false, outputs: null, cached: false, errorClass: outcome.errorClass, errorMessage: outcome.message, finishedAt: now },
      counters: { running: -1, failed: 1, finishSeq: 1, ...money, errors: { [outcome.errorClass]: 1 } },
    };
  }
  // retry or release. A cancelled job keeps no queued rows, and only a running job's rows hold window slots.
  const retry = outcome.kind === 'retry';
  const status = job.status === 'cancelled' ? 'cancelled' : 'queued';
  const dispatched = retry && jobHoldsSlots(job.status);
  return {
    ok: true,
    patch: {
      ...used,
      status,
      dispatched,
      // A released attempt was cut short by a pause or cancel, not by the row: it does not count against maxAttempts.
      attempt: row.attempt + (retry ? 0 : -1),
      ...(retry ? { nextAttemptAt: outcome.nextAttemptAt, errorClass: outcome.errorClass, errorMessage: outcome.message } : {}),
      finishedAt: status === 'cancelled' ? now : null,
    },
    counters: {
      running: -1,
      queued: status === 'queued' ? 1 : 0,
      queuedDispatched: dispatched ? 1 : 0,
      cancelled: status === 'cancelled' ? 1 : 0,
      ...money,
      ...(retry ? { retries: { [outcome.errorClass]: 1 } } : {}),
    },
  };
}

/**
 * A row running past its lease (its worker died) goes back to queued (cancelled, in a cancelled job) without its
 * slot. Decision 5: its reservation counts as spent, since the dead worker's call may have been billed and the budget
 * must never be exceeded. `now = Infinity` expires every lease; undefined: nothing to do for this row.
 */
export function decideExpiry(row: RowState, job: JobSnapshot, now: number): RowChange | undefined {
  if (row.status !== 'running' || row.leaseUntil === null || !(row.leaseUntil < now)) return undefined;
  const status = job.status === 'cancelled' ? 'cancelled' : 'queued';
  return {
    ok: true,
    patch: {
      status,
      dispatched: false,
      leaseUntil: null,
      costNanos: row.costNanos + row.reservedNanos,
      reservedNanos: 0,
      flushed: false,
      finishedAt: status === 'cancelled' && Number.isFinite(now) ? now : null,
    },
    counters: {
      running: -1,
      queued: status === 'queued' ? 1 : 0,
      cancelled: status === 'cancelled' ? 1 : 0,
      spentNanos: row.reservedNanos,
      reservedNanos: -row.reservedNanos,
    },
  };
}

/**
 * A queued row holding a slot whose task should have run before `olderThan` but did not (a lost task) gives the slot
 * back; its old task then claims nothing. `Infinity` takes every queued row's slot (leaving `running`, or a restart).
 */
export function decideUndispatch(row: RowState, olderThan: number): RowChange | undefined {
  if (row.status !== 'queued' || !row.dispatched || !(row.nextAttemptAt < olderThan)) return undefined;
  return { ok: true, patch: { dispatched: false }, counters: { queuedDispatched: -1 } };
}

/** A failed row goes back to queued with attempts and errors cleared. Spend and usage stay: a re-run refunds nothing. */
export function decideRequeue(row: RowState): RowChange | undefined {
  if (row.status !== 'failed') return undefined;
  return {
    ok: true,
    patch: {
      status: 'queued',
      dispatched: false,
      attempt: 0,
      nextAttemptAt: 0,
      leaseUntil: null,
      outputs: null,
      cached: false,
      errorClass: null,
      errorMessage: null,
      flushed: false,
      finishedAt: null,
    },
    counters: { failed: -1, queued: 1, ...(row.errorClass === null ? {} : { errors: { [row.errorClass]: -1 } }) },
  };
}

/** A queued row of a job entering `cancelled` is cancelled at `at`, its slot (if any) given back. */
export function decideCancel(row: RowState, at: number): RowChange | undefined {
  if (row.status !== 'queued') return undefined;
  return {
    ok: true,
    patch: { status: 'cancelled', dispatched: false, flushed: false, finishedAt: at },
    counters: { queued: -1, cancelled: 1, queuedDispatched: row.dispatched ? -1 : 0 },
  };
}

/** Adds two deltas field by field (several rows of one batch landing on the same counters). */
export function addDeltas(a: CounterDelta, b: CounterDelta): CounterDelta {
  const sum: Record<string, unknown> = {};
  for (const field of NUMERIC_FIELDS) {
    const value = (a[field] ?? 0) + (b[field] ?? 0);
    if (value !== 0) sum[field] = value;
  }
  const errors = addClassCounts(a.errors, b.errors);
  const retries = addClassCounts(a.retries, b.retries);
  if (errors !== undefined) sum.errors = errors;
  if (retries !== undefined) sum.retries = retries;
  return sum;
}

/**
 * The sum of many deltas, equal to folding them with addDeltas from `{}` but without a new object per delta: a
 * 100,000-row intake or cancel sums one delta a row.
 */
export function sumDeltas(deltas: Iterable<CounterDelta>): CounterDelta {
  const numbers: Record<string, number> = {};
  let errors: Partial<Record<ErrorClass, number>> | undefined;
  let retries: Partial<Record<ErrorClass, number>> | undefined;
  for (const delta of deltas) {
    // A delta names only the few fields it moves: walk those, not every field.
    for (const field in delta) {
      if (field === 'errors') errors = addClassCountsInto(errors ?? {}, delta.errors!);
      else if (field === 'retries') retries = addClassCountsInto(retries ?? {}, delta.retries!);
      else {
        const value = delta[field as NumericField];
        if (value !== undefined) numbers[field] = (numbers[field] ?? 0) + value;
      }
    }
  }
  const sum: Record<string, unknown> = {};
  for (const field of NUMERIC_FIELDS) if (numbers[field] !== undefined && numbers[field] !== 0) sum[field] = numbers[field];
  if (errors !== undefined) sum.errors = errors;
  if (retries !== undefined) sum.retries = retries;
  return sum;
}

/** The delta that undoes `delta` (rows added and then taken out again). */
export function negateDelta(delta: CounterDelta): CounterDelta {
  const negated: Record<string, unknown> = {};
  for (const field of NUMERIC_FIELDS) if (delta[field] !== undefined && delta[field] !== 0) negated[field] = 0 - delta[field];
  if (delta.errors !== undefined) negated.errors = negateClassCounts(delta.errors);
  if (delta.retries !== undefined) negated.retries = negateClassCounts(delta.retries);
  return negated;
}

const NUMERIC_FIELDS = ['total', 'queued', 'queuedDispatched', 'running', 'done', 'cached', 'failed', 'skipped', 'cancelled', 'spentNanos', 'reservedNanos', 'finishSeq'] as const;
type NumericField = (typeof NUMERIC_FIELDS)[number];

function addClassCounts(a: CounterDelta['errors'], b: CounterDelta['errors']): Partial<Record<ErrorClass, number>> | undefined {
  if (a === undefined && b === undefined) return undefined;
  const sum: Partial<Record<ErrorClass, number>> = { ...a };
  for (const [key, value] of Object.entries(b ?? {}) as Array<[ErrorClass, number | undefined]>) sum[key] = (sum[key] ?? 0) + (value ?? 0);
  return sum;
}

function addClassCountsInto(sum: Partial<Record<ErrorClass, number>>, add: NonNullable<CounterDelta['errors']>): Partial<Record<ErrorClass, number>> {
  for (const [key, value] of Object.entries(add) as Array<[ErrorClass, number | undefined]>) sum[key] = (sum[key] ?? 0) + (value ?? 0);
  return sum;
}

function negateClassCounts(counts: NonNullable<CounterDelta['errors']>): Partial<Record<ErrorClass, number>> {
  const negated: Partial<Record<ErrorClass, number>> = {};
  for (const [key, value] of Object.entries(counts) as Array<[ErrorClass, number | undefined]>) negated[key] = 0 - (value ?? 0);
  return negated;
}
