// Argument checks every Store adapter runs before any read or write, so a bad number changes nothing and reads the same everywhere.
import type { BatchPatch, BatchPhase, ClaimBatchRequest, ClaimBatchRow } from '../ports/batch-store.js';
import { OPEN_BATCH_PHASES } from '../ports/batch-store.js';
import type { JobStatus, NewRow, Usage } from '../ports/domain.js';
import type { CacheHoldRequest, ClaimRequest, DispatchRequest, FinishRequest, TransitionRequest } from '../ports/store.js';
import { usdToNanos, usdToNanosOrNull } from '../kernel/money.js';

/** A point in time (epoch ms). */
export function assertTime(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${String(value)}`);
}

/** A point in time that may be Infinity ("everything up to now"), never NaN. */
export function assertBound(name: string, value: number): void {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new RangeError(`${name} must be a number, got ${String(value)}`);
}

/** A count or limit: a non-negative integer. */
export function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
}

export function assertPositive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
}

/** Reported usage with its cost in integer nano-dollars. */
export interface CheckedUsage extends Usage {
  readonly costNanos: number;
}

/** Reported usage and its cost in nanos; token counts must be non-negative integers. */
export function checkedUsage(usage: Usage, costUsd: number): CheckedUsage {
  assertCount('usage.inputTokens', usage.inputTokens);
  assertCount('usage.cachedInputTokens', usage.cachedInputTokens);
  assertCount('usage.outputTokens', usage.outputTokens);
  return {
    inputTokens: usage.inputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    outputTokens: usage.outputTokens,
    costNanos: usdToNanos(costUsd, 'costUsd'),
  };
}

export function checkDispatchRequest(request: DispatchRequest): void {
  assertTime('now', request.now);
  assertCount('maxInFlight', request.maxInFlight);
  assertCount('limit', request.limit);
}

const NEW_ROW_STATUSES: ReadonlySet<string> = new Set<NonNullable<NewRow['status']>>(['queued', 'skipped', 'failed']);

/** A new row's number and starting status (row-transitions' decideNewRow decides the rest). */
export function checkNewRow(row: NewRow): void {
  const status = row.status ?? 'queued';
  if (!NEW_ROW_STATUSES.has(status)) throw new RangeError(`row ${row.rowId}: a new row's status must be queued, skipped or failed, got ${String(status)}`);
  assertCount(`row ${row.rowId}: rowNumber`, row.rowNumber);
}

const JOB_STATUSES: ReadonlySet<string> = new Set<JobStatus>(['preparing', 'running', 'paused', 'cancelled', 'completed']);

/** Checks a transition's time and target; returns its budget in nanos (null: no cap; undefined: unchanged). */
export function checkTransitionRequest(request: TransitionRequest): number | null | undefined {
  assertTime('now', request.now);
  if (!JOB_STATUSES.has(request.to)) throw new RangeError(`unknown job status ${String(request.to)}`);
  return request.budgetUsd === undefined ? undefined : usdToNanosOrNull(request.budgetUsd, 'budgetUsd');
}

/** Checks a claim's numbers; returns the reservation in nanos. */
export function checkClaimRequest(request: ClaimRequest): number {
  assertTime('now', request.now);
  assertPositive('leaseMs', request.leaseMs);
  return usdToNanos(request.reserveUsd, 'reserveUsd');
}

/** Checks a finish's numbers; returns the outcome's usage with its cost in nanos. */
export function checkFinishRequest(request: FinishRequest): CheckedUsage {
  assertTime('now', request.now);
  const usage = checkedUsage(request.outcome.usage, request.outcome.costUsd);
  if (request.outcome.kind === 'retry') assertTime('nextAttemptAt', request.outcome.nextAttemptAt);
  return usage;
}

export function checkHoldRequest(request: CacheHoldRequest): void {
  assertTime('now', request.now);
  assertPositive('holdMs', request.holdMs);
  if (request.minExpiresAt !== undefined) assertTime('minExpiresAt', request.minExpiresAt);
}

/**
 * Checks a whole batch claim before any row is claimed (a store that claims in several commits must not fail half
 * way on a bad row); returns each row's reservation in nanos, in order.
 */
export function checkClaimBatchRequest(request: ClaimBatchRequest): number[] {
  assertCount('seq', request.seq);
  assertTime('now', request.now);
  assertPositive('leaseMs', request.leaseMs);
  if (typeof request.filename !== 'string' || request.filename === '') throw new TypeError('claimBatch: filename must be a non-empty string');
  const rows: readonly ClaimBatchRow[] = request.rows;
  if (!Array.isArray(rows)) throw new TypeError('claimBatch: rows must be an array');
  return rows.map((row: ClaimBatchRow) => {
    assertCount('tokens', row.tokens);
    return usdToNanos(row.reserveUsd, 'reserveUsd');
  });
}

const BATCH_PHASES: readonly BatchPhase[] = [...OPEN_BATCH_PHASES, 'applied'];
const BATCH_PATCH_FIELDS: ReadonlySet<string> = new Set<keyof BatchPatch>(['phase', 'fileId', 'batchId', 'providerStatus', 'expiresAt', 'nextPollAt', 'polls', 'message']);

/** Checks a batch record change: known fields only, a known phase, a finite `now`. */
export function checkBatchPatch(patch: BatchPatch, now: number): void {
  assertTime('now', now);
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (!BATCH_PATCH_FIELDS.has(field)) throw new TypeError(`updateBatch: unknown field ${JSON.stringify(field)}`);
    if (field === 'phase' && !BATCH_PHASES.includes(value as BatchPhase)) throw new TypeError(`updateBatch: phase must be one of ${BATCH_PHASES.join(', ')}, got ${JSON.stringify(value)}`);
  }
}
