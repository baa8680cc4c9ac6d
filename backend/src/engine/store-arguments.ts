// Argument checks every Store adapter runs before any read or write, so a bad number changes nothing and reads the same everywhere.
import type { Usage } from '../ports/domain.js';
import type { CacheHoldRequest, ClaimRequest, FinishRequest } from '../ports/store.js';
import { usdToNanos } from '../kernel/money.js';

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
