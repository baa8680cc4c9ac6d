// The row-level store steps on SQLite: read what domain/row-transitions needs, let it decide, write the decided change.
import type { ClaimRequest, ClaimResult, DispatchRequest, DispatchedRow, FinishRequest } from '../../ports/store.js';
import type { CounterDelta, JobSnapshot, RowChange, RowPatch, RowState } from '../../domain/row-transitions.js';
import { decideClaim, decideDispatch, decideExpiry, decideFinish, decideRequeue, decideUndispatch, dispatchRoom, jobHoldsSlots, sumDeltas } from '../../domain/row-transitions.js';
import { assertBound, checkClaimRequest, checkDispatchRequest, checkFinishRequest } from '../../domain/store-arguments.js';
import { applyCounters } from './counters.js';
import { toRow, toRowState, type RowRecord } from './row-mapper.js';
import type { JobState, RowStateRecord, Statements } from './statements.js';

/**
 * Gives queued rows window slots: the room (dispatchRoom) is read from the job's counters, the rows picked in row order
 * by the one indexed query the decision's selection spells (statements.ts), and each written as decideDispatch says.
 */
export function dispatchRows(statements: Statements, request: DispatchRequest): DispatchedRow[] {
  checkDispatchRequest(request);
  const job = statements.jobState.get(request.jobId);
  if (job === undefined || !jobHoldsSlots(job.status)) return [];
  const room = dispatchRoom(job.queued_dispatched + job.running, request);
  if (room === 0) return [];
  const dispatched: DispatchedRow[] = [];
  const changes: CounterDelta[] = [];
  for (const record of statements.nextDispatchable.all({ jobId: request.jobId, limit: room })) {
    const row = { status: record.status, dispatched: record.dispatched === 1, dispatchSeq: record.dispatch_seq, nextAttemptAt: record.next_attempt_at };
    const change = decideDispatch(row, request.now);
    if (change === undefined) continue;
    write(statements, record, change, null, false);
    const next = { ...row, ...change.patch };
    dispatched.push({ rowId: record.row_id, dispatchSeq: next.dispatchSeq, nextAttemptAt: next.nextAttemptAt });
    changes.push(change.counters);
  }
  if (dispatched.length > 0) applyCounters(statements, request.jobId, sumDeltas(changes), request.now);
  return dispatched;
}

export function claimRow(statements: Statements, request: ClaimRequest): ClaimResult {
  const reserve = checkClaimRequest(request);
  const job = statements.jobState.get(request.jobId);
  const record = job === undefined ? undefined : statements.rowState.get(request.jobId, request.rowId);
  const decision = decideClaim(record && toRowState(record), job && snapshot(job), request, reserve);
  if (!decision.ok) return decision.refusal;
  applyCounters(statements, request.jobId, decision.counters, request.now);
  const claimed = write(statements, record!, decision, null, true);
  return { ok: true, row: toRow(claimed), leaseToken: claimed.lease_seq };
}

export function finishRow(statements: Statements, request: FinishRequest): boolean {
  const usage = checkFinishRequest(request);
  const record = statements.rowState.get(request.jobId, request.rowId);
  const job = record === undefined ? undefined : statements.jobState.get(request.jobId);
  const decision = decideFinish(record && toRowState(record), job && snapshot(job), request, usage);
  if (!decision.ok) return false;
  const finishSeq = applyCounters(statements, request.jobId, decision.counters, request.now);
  write(statements, record!, decision, finishSeq ?? null, false);
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

/**
 * Applies one decision per row and their summed counter change; returns how many rows changed. Rows given the same
 * patch (a cancel or re-queue gives every row the same one) are written together, a chunk per statement.
 */
export function applyAll(statements: Statements, jobId: string, rows: readonly RowStateRecord[], decide: (row: RowState) => RowChange | undefined, now: number | null): number {
  const deltas: CounterDelta[] = [];
  const samePatch = new Map<string, { readonly change: RowChange; readonly rowids: number[] }>();
  for (const record of rows) {
    const change = decide(toRowState(record));
    if (change === undefined) continue;
    const key = JSON.stringify(change.patch);
    const group = samePatch.get(key);
    if (group === undefined) samePatch.set(key, { change, rowids: [record.rowid] });
    else group.rowids.push(record.rowid);
    deltas.push(change.counters);
  }
  let n = 0;
  for (const { change, rowids } of samePatch.values()) {
    const { columns, params } = patchParams(change, null);
    const statement = statements.patchRow(columns, 'many');
    for (let i = 0; i < rowids.length; i += PATCH_CHUNK) statement.run({ ...params, rowids: JSON.stringify(rowids.slice(i, i + PATCH_CHUNK)) });
    n += rowids.length;
  }
  if (n > 0) applyCounters(statements, jobId, sumDeltas(deltas), now);
  return n;
}

type RowKey = Pick<RowStateRecord, 'rowid' | 'row_id'>;

/** Rows per multi-row patch statement. */
const PATCH_CHUNK = 5_000;

function snapshot(job: JobState): JobSnapshot {
  return { status: job.status, budgetLeftNanos: job.budget_nanos === null ? null : job.budget_nanos - job.spent_nanos - job.reserved_nanos };
}

/** The column each patched field is stored in. */
const COLUMNS: Readonly<Record<keyof RowPatch, string>> = {
  status: 'status',
  dispatched: 'dispatched',
  dispatchSeq: 'dispatch_seq',
  attempt: 'attempt',
  nextAttemptAt: 'next_attempt_at',
  leaseUntil: 'lease_until',
  leaseSeq: 'lease_seq',
  reservedNanos: 'reserved_nanos',
  outputs: 'outputs',
  cached: 'cached',
  errorClass: 'error_class',
  errorMessage: 'error_message',
  inputTokens: 'input_tokens',
  cachedInputTokens: 'cached_input_tokens',
  outputTokens: 'output_tokens',
  costNanos: 'cost_nanos',
  flushed: 'flushed',
  finishedAt: 'finished_at',
};

/**
 * The columns `change` patches, with their values. finish_seq orders rows that finished done/failed (recentOutcomes):
 * set from the job's counter when the change hands one out, cleared when the row's status leaves done/failed.
 */
function patchParams(change: RowChange, finishSeq: number | null): { readonly columns: string[]; readonly params: Record<string, string | number | null> } {
  const params: Record<string, string | number | null> = {};
  const columns: string[] = [];
  for (const [field, value] of Object.entries(change.patch) as Array<[keyof RowPatch, RowPatch[keyof RowPatch]]>) {
    const column = COLUMNS[field];
    columns.push(column);
    params[column] = typeof value === 'boolean' ? (value ? 1 : 0) : field === 'outputs' ? (value === null ? null : JSON.stringify(value)) : (value as string | number | null);
  }
  const status = change.patch.status;
  if (change.counters.finishSeq) {
    columns.push('finish_seq');
    params.finish_seq = finishSeq;
  } else if (status !== undefined && status !== 'done' && status !== 'failed') {
    columns.push('finish_seq');
    params.finish_seq = null;
  }
  return { columns, params };
}

/** Writes one row's patch; a claim gets the row back. */
function write(statements: Statements, record: RowKey, change: RowChange, finishSeq: number | null, returning: true): RowRecord;
function write(statements: Statements, record: RowKey, change: RowChange, finishSeq: number | null, returning: false): void;
function write(statements: Statements, record: RowKey, change: RowChange, finishSeq: number | null, returning: boolean): RowRecord | void {
  const { columns, params } = patchParams(change, finishSeq);
  if (!returning) {
    statements.patchRow(columns, 'one').run({ ...params, rowid: record.rowid });
    return;
  }
  const written = statements.patchRow(columns, 'one returning').get({ ...params, rowid: record.rowid });
  if (written === undefined) throw new Error(`row ${record.row_id} vanished inside its transaction`);
  return written;
}
