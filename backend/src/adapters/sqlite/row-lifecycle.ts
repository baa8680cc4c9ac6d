// The row-level store steps on SQLite: read what engine/row-transitions needs, let it decide, write the decided change.
import type { ClaimRequest, ClaimResult, DispatchRequest, DispatchedRow, FinishRequest } from '../../ports/store.js';
import type { CounterDelta, JobSnapshot, RowChange, RowState } from '../../engine/row-transitions.js';
import { addDeltas, decideClaim, decideExpiry, decideFinish, decideRequeue, decideUndispatch } from '../../engine/row-transitions.js';
import { assertBound, assertCount, assertTime, checkClaimRequest, checkFinishRequest } from '../../engine/store-arguments.js';
import { applyCounters } from './counters.js';
import { toRow, toRowState, type RowRecord } from './row-mapper.js';
import type { JobState, RowStateRecord, Statements } from './statements.js';

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
  const reserve = checkClaimRequest(request);
  const job = statements.jobState.get(request.jobId);
  const record = job === undefined ? undefined : statements.rowState.get(request.jobId, request.rowId);
  const decision = decideClaim(record && toRowState(record), job && snapshot(job), request, reserve);
  if (!decision.ok) return decision.refusal;
  applyCounters(statements, request.jobId, decision.counters, request.now);
  const claimed = write(statements, request.jobId, record!, decision, null, true);
  return { ok: true, row: toRow(claimed), leaseToken: claimed.lease_seq };
}

export function finishRow(statements: Statements, request: FinishRequest): boolean {
  const usage = checkFinishRequest(request);
  const record = statements.rowState.get(request.jobId, request.rowId);
  const job = record === undefined ? undefined : statements.jobState.get(request.jobId);
  const decision = decideFinish(record && toRowState(record), job && snapshot(job), request, usage);
  if (!decision.ok) return false;
  const finishSeq = applyCounters(statements, request.jobId, decision.counters, request.now);
  write(statements, request.jobId, record!, decision, finishSeq ?? null, false);
  return true;
}

export function expireLeases(statements: Statements, jobId: string, now: number): number {
  assertBound('now', now);
  const job = statements.jobState.get(jobId);
  if (job === undefined) return 0;
  const rows = statements.expiredRows.all({ jobId, now: Number.isFinite(now) ? now : Number.MAX_VALUE });
  return applyAll(statements, jobId, rows, (row) => decideExpiry(row, snapshot(job), now), Number.isFinite(now) ? now : null);
}

export function undispatchStale(statements: Statements, jobId: string, olderThan: number): number {
  assertBound('olderThan', olderThan);
  const rows = statements.staleDispatched.all({ jobId, olderThan: Number.isFinite(olderThan) ? olderThan : Number.MAX_VALUE });
  return applyAll(statements, jobId, rows, (row) => decideUndispatch(row, olderThan), null);
}

export function requeueFailed(statements: Statements, jobId: string): number {
  if (statements.jobState.get(jobId) === undefined) return 0;
  return applyAll(statements, jobId, statements.rowsByStatus.all(jobId, 'failed'), decideRequeue, null);
}

/** Applies one decision per row and their summed counter change; returns how many rows changed. */
export function applyAll(statements: Statements, jobId: string, rows: readonly RowStateRecord[], decide: (row: RowState) => RowChange | undefined, now: number | null): number {
  let total: CounterDelta = {};
  let n = 0;
  for (const record of rows) {
    const change = decide(toRowState(record));
    if (change === undefined) continue;
    write(statements, jobId, record, change, null, false);
    total = addDeltas(total, change.counters);
    n++;
  }
  if (n > 0) applyCounters(statements, jobId, total, now);
  return n;
}

function snapshot(job: JobState): JobSnapshot {
  return { status: job.status, budgetLeftNanos: job.budget_nanos === null ? null : job.budget_nanos - job.spent_nanos - job.reserved_nanos };
}

/**
 * Writes the row as `change` decided. finish_seq orders rows that finished done/failed (recentOutcomes): set from the
 * job's counter when the change hands one out, kept while the row stays done/failed, cleared when it leaves them.
 */
function write(statements: Statements, jobId: string, record: RowStateRecord, change: RowChange, finishSeq: number | null, returning: true): RowRecord;
function write(statements: Statements, jobId: string, record: RowStateRecord, change: RowChange, finishSeq: number | null, returning: false): void;
function write(statements: Statements, jobId: string, record: RowStateRecord, change: RowChange, finishSeq: number | null, returning: boolean): RowRecord | void {
  const next = { ...toRowState(record), ...change.patch };
  const outputs = change.patch.outputs;
  const params = {
    jobId,
    rowId: record.row_id,
    status: next.status,
    dispatched: next.dispatched ? 1 : 0,
    attempt: next.attempt,
    nextAttemptAt: next.nextAttemptAt,
    leaseUntil: next.leaseUntil,
    leaseSeq: next.leaseSeq,
    reservedNanos: next.reservedNanos,
    setOutputs: outputs === undefined ? 0 : 1,
    outputs: outputs === undefined || outputs === null ? null : JSON.stringify(outputs),
    cached: next.cached ? 1 : 0,
    errorClass: next.errorClass,
    errorMessage: next.errorMessage,
    inputTokens: next.inputTokens,
    cachedInputTokens: next.cachedInputTokens,
    outputTokens: next.outputTokens,
    costNanos: next.costNanos,
    flushed: next.flushed ? 1 : 0,
    finishedAt: next.finishedAt,
    finishSeq: next.status === 'done' || next.status === 'failed' ? (change.counters.finishSeq ? finishSeq : record.finish_seq) : null,
  };
  if (!returning) {
    statements.writeRow.run(params);
    return;
  }
  const written = statements.writeRowReturning.get(params);
  if (written === undefined) throw new Error(`row ${record.row_id} vanished inside its transaction`);
  return written;
}
