// Argument checks shared by the store's operations: bad numbers are refused before any state changes.
import type { Usage } from '../../ports/domain.js';
import { usdToNanos } from '../../engine/money.js';
import type { UsageParams } from './statements.js';

/** A point in time (epoch ms). */
export function assertTime(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${String(value)}`);
}

/** A count or limit: a non-negative integer. */
export function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
}

export function assertPositive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
}

/** Reported usage and cost as statement parameters; token counts must be non-negative integers. */
export function usageParams(usage: Usage, costUsd: number): UsageParams {
  assertCount('usage.inputTokens', usage.inputTokens);
  assertCount('usage.cachedInputTokens', usage.cachedInputTokens);
  assertCount('usage.outputTokens', usage.outputTokens);
  return {
    inputTokens: usage.inputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    outputTokens: usage.outputTokens,
    cost: usdToNanos(costUsd, 'costUsd'),
  };
}
