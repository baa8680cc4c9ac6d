// Unit tests for the retry delay: Cloud Tasks' doubling-then-linear shape, the cap, jitter, and Retry-After.
import { describe, expect, it } from 'vitest';
import { backoffMs, retryDelayMs } from '../../../../backend/src/adapters/local-queue/backoff.js';

const cloudTasksExample = { minBackoffMs: 10_000, maxBackoffMs: 300_000, maxDoublings: 3 };

describe('backoffMs', () => {
  it('follows the Cloud Tasks documentation example: doubles, then grows linearly, then stays at the maximum', () => {
    const seconds = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffMs(attempt, cloudTasksExample) / 1000);
    expect(seconds).toEqual([10, 20, 40, 80, 160, 240, 300, 300]);
  });

  it('keeps doubling up to the cap when maxDoublings is large', () => {
    const settings = { minBackoffMs: 100, maxBackoffMs: 3_600_000, maxDoublings: 16 };
    expect([1, 2, 3, 4].map((a) => backoffMs(a, settings))).toEqual([100, 200, 400, 800]);
    expect(backoffMs(40, settings)).toBe(3_600_000);
  });

  it('never grows with zero doublings beyond a linear series', () => {
    const settings = { minBackoffMs: 50, maxBackoffMs: 1000, maxDoublings: 0 };
    expect([1, 2, 3].map((a) => backoffMs(a, settings))).toEqual([50, 100, 150]);
  });
});

describe('retryDelayMs', () => {
  const settings = { minBackoffMs: 100, maxBackoffMs: 10_000, maxDoublings: 16 };

  it('uses the plain backoff when jitter draws zero', () => {
    expect(retryDelayMs(3, undefined, settings, () => 0)).toBe(400);
  });

  it('adds at most a tenth of the backoff as jitter, never going under it', () => {
    expect(retryDelayMs(3, undefined, settings, () => 0.999)).toBeGreaterThan(400);
    expect(retryDelayMs(3, undefined, settings, () => 0.999)).toBeLessThan(440);
  });

  it('keeps jitter within maxBackoffMs', () => {
    expect(retryDelayMs(30, undefined, settings, () => 0.999)).toBe(10_000);
  });

  it('honours a Retry-After longer than the backoff', () => {
    expect(retryDelayMs(1, 5000, settings, () => 0)).toBe(5000);
  });

  it('uses a short Retry-After as given: the handler knows when the task can succeed', () => {
    expect(retryDelayMs(4, 10, settings, () => 0)).toBe(10);
  });

  it('caps a Retry-After at maxBackoffMs', () => {
    expect(retryDelayMs(1, 10_000_000, settings, () => 0)).toBe(settings.maxBackoffMs);
  });

  it('ignores a negative or non-finite Retry-After', () => {
    expect(retryDelayMs(1, -5, settings, () => 0)).toBe(100);
    expect(retryDelayMs(1, Number.NaN, settings, () => 0)).toBe(100);
  });
});
