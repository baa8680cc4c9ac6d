// Argument checks run before any read or write, so a bad number never reaches Firestore; messages match the SQLite store's.
import type { Usage } from '../../ports/domain.js';
import { usdToNanos } from '../../engine/money.js';

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

/** Reported usage and its cost in nanos; token counts must be non-negative integers. */
export function checkedUsage(usage: Usage, costUsd: number): Usage & { readonly costNanos: number } {
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
