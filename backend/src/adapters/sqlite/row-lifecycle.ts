// The row-level store steps the engine runs thousands of times a second: dispatch, claim, finish, and their recoveries.
import type { ClaimRequest, ClaimResult, DispatchRequest, DispatchedRow, FinishRequest } from '../../ports/store.js';
import { applyCounters, bumpClass } from './counters.js';
import { toRow } from './row-mapper.js';
import { usdToNanos } from '../../engine/money.js';
import type { Statements } from './statements.js';
import { assertCount, assertPositive, assertTime, usageParams } from './validate.js';

const NOT_CLAIMABLE: ClaimResult = { ok: false, reason: 'not_claimable' };
const JOB_NOT_RUNNING: ClaimResult = { ok: false, reason: 'job_not_running' };
const OVER_BUDGET: ClaimResult = { ok: false, reason: 'budget' };

/** Only a running job gets window slots: a slot given to a paused job would sit idle and shrink the window on resume. */
export function dispatchRows(statements: Statements, request: DispatchRequest): DispatchedRow[] {
  assertTime('now', request.now);
  assertCount('maxInFlight', request.maxInFlight);
  assertCount('limit', request.limit);
  const job = statements.jobState.get(request.jobId);
  if (job?.status !== 'running') return [];
  const room = Math.min(request.limit, request.maxInFlight - job.queued_dispatched - job.running);
  if (room <= 0) return [];
  const picked = statements.nextUndispatched.all({ jobId: request.jobId, limit: room });
  if (picked.length === 0) return [];
  // nextAttemptAt is raised to now so that "should have run by" (undispatchStale) counts from the dispatch, not from submit.
  const dispatched = picked.map((rowid) => {
    const row = statements.dispatchRow.get({ rowid, now: request.now });
    if (row === undefined) throw new Error(`dispatchRows: row ${rowid} vanished inside its transaction`);
    return { rowId: row.row_id, dispatchSeq: row.dispatch_seq, nextAttemptAt: row.next_attempt_at };
  });
  applyCounters(statements, request.jobId, { queuedDispatched: dispatched.length }, request.now);
  return dispatched;
}

export function claimRow(statements: Statements, request: ClaimRequest): ClaimResult {
  assertTime('now', request.now);
  assertPositive('leaseMs', request.leaseMs);
  const reserve = usdToNanos(request.reserveUsd, 'reserveUsd');
  const job = statements.jobState.get(request.jobId);
  if (job === undefined) return NOT_CLAIMABLE;
  if (job.status !== 'running') return JOB_NOT_RUNNING;
  const row = statements.rowClaim.get(request.jobId, request.rowId);
  if (row === undefined || row.status !== 'queued' || row.dispatched !== 1 || row.dispatch_seq !== request.dispatchSeq) return NOT_CLAIMABLE;
  if (row.next_attempt_at > request.now) return { ok: false, reason: 'not_yet', retryAt: row.next_attempt_at };
  // Integer nanos: the comparison is exact, so a budget that fits exactly N reservations admits exactly N.
  if (job.budget_nanos !== null && job.spent_nanos + job.reserved_nanos + reserve > job.budget_nanos) return OVER_BUDGET;
  const claimed = statements.claimRow.get({
    jobId: request.jobId,
    rowId: request.rowId,
    leaseUntil: request.now + request.leaseMs,
    reserved: reserve,
  });
  if (claimed === undefined) return NOT_CLAIMABLE;
  applyCounters(statements, request.jobId, { queued: -1, queuedDispatched: -1, running: 1, reservedNanos: reserve }, request.now);
  // The lease token is a per-row sequence that only grows, so a token from any earlier claim never matches again.
  return { ok: true, row: toRow(claimed), leaseToken: claimed.lease_seq };
}

export function finishRow(statements: Statements, request: FinishRequest): boolean {
  const { jobId, rowId, outcome, now } = request;
  assertTime('now', now);
  const usage = usageParams(outcome.usage, outcome.costUsd);
  if (outcome.kind === 'retry') assertTime('nextAttemptAt', outcome.nextAttemptAt);
  const row = statements.rowLease.get(jobId, rowId);
  if (row === undefined || row.status !== 'running' || row.lease_seq !== request.leaseToken) return false;
  const job = statements.jobState.get(jobId);
  if (job === undefined) return false;
  const money = { spentNanos: usage.cost, reservedNanos: -row.reserved_nanos };

  if (outcome.kind === 'done' || outcome.kind === 'failed') {
    const done = outcome.kind === 'done';
    const finishSeq = applyCounters(
      statements,
      jobId,
      { running: -1, done: done ? 1 : 0, cached: done && outcome.cached ? 1 : 0, failed: done ? 0 : 1, finishSeq: 1, ...money },
      now,
    );
    statements.finishTerminal.run({
      jobId,
      rowId,
      status: outcome.kind,
      outputs: done ? JSON.stringify(outcome.outputs) : null,
      cached: done && outcome.cached ? 1 : 0,
      errorClass: done ? null : outcome.errorClass,
      errorMessage: done ? null : outcome.message,
      ...usage,
      now,
      finishSeq: finishSeq ?? null,
    });
    if (!done) bumpClass(statements, jobId, 'errors', outcome.errorClass);
    return true;
  }

  // retry or release. A cancelled job keeps no queued rows, and only a running job's rows hold window slots.
  const retry = outcome.kind === 'retry';
  const status = job.status === 'cancelled' ? 'cancelled' : 'queued';
  const dispatched = retry && job.status === 'running';
  applyCounters(
    statements,
    jobId,
    {
      running: -1,
      queued: status === 'queued' ? 1 : 0,
      queuedDispatched: dispatched ? 1 : 0,
      cancelled: status === 'cancelled' ? 1 : 0,
      ...money,
    },
    now,
  );
  statements.finishRequeue.run({
    jobId,
    rowId,
    status,
    dispatched: dispatched ? 1 : 0,
    // A released attempt was cut short by a pause or cancel, not by the row: it does not count against maxAttempts.
    attemptDelta: retry ? 0 : -1,
    nextAttemptAt: retry ? outcome.nextAttemptAt : null,
    errorClass: retry ? outcome.errorClass : null,
    errorMessage: retry ? outcome.message : null,
    ...usage,
    finishedAt: status === 'cancelled' ? now : null,
  });
  if (retry) bumpClass(statements, jobId, 'retries', outcome.errorClass);
  return true;
}

/** Expired reservations become spend: the dead worker's call may have been billed, and the budget must never be exceeded. */
export function expireLeases(statements: Statements, jobId: string, now: number): number {
  if (typeof now !== 'number' || Number.isNaN(now)) throw new RangeError(`now must be a number, got ${String(now)}`);
  const job = statements.jobState.get(jobId);
  if (job === undefined) return 0;
  const finite = Number.isFinite(now);
  const bound = finite ? now : Number.MAX_VALUE;
  const expired = statements.sumExpired.get({ jobId, now: bound });
  if (expired === undefined || expired.n === 0) return 0;
  const status = job.status === 'cancelled' ? 'cancelled' : 'queued';
  statements.expireRows.run({ jobId, now: bound, status, finishedAt: status === 'cancelled' && finite ? now : null });
  applyCounters(
    statements,
    jobId,
    {
      running: -expired.n,
      queued: status === 'queued' ? expired.n : 0,
      cancelled: status === 'cancelled' ? expired.n : 0,
      spentNanos: expired.reserved,
      reservedNanos: -expired.reserved,
    },
    finite ? now : null,
  );
  return expired.n;
}

export function undispatchStale(statements: Statements, jobId: string, olderThan: number): number {
  if (typeof olderThan !== 'number' || Number.isNaN(olderThan)) throw new RangeError(`olderThan must be a number, got ${String(olderThan)}`);
  const bound = Number.isFinite(olderThan) ? olderThan : Number.MAX_VALUE;
  const changes = statements.undispatchStale.run({ jobId, olderThan: bound }).changes;
  if (changes > 0) applyCounters(statements, jobId, { queuedDispatched: -changes }, null);
  return changes;
}

/** Spend and usage stay on the row: re-running a row does not refund what its failed attempts cost. */
export function requeueFailed(statements: Statements, jobId: string): number {
  const job = statements.getJob.get(jobId);
  if (job === undefined) return 0;
  const groups = statements.failedByClass.all(jobId);
  const n = groups.reduce((sum, group) => sum + group.n, 0);
  if (n === 0) return 0;
  statements.requeueFailed.run(jobId);
  const errors = JSON.parse(job.errors_by_class) as Record<string, number>;
  for (const group of groups) {
    if (group.error_class !== null) errors[group.error_class] = Math.max(0, (errors[group.error_class] ?? 0) - group.n);
  }
  statements.setErrorsByClass.run(JSON.stringify(errors), jobId);
  applyCounters(statements, jobId, { failed: -n, queued: n }, null);
  return n;
}
