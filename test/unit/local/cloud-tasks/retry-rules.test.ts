// The stand-in's pure rules: Cloud Tasks' backoff schedule, Retry-After as a floor, and Retry-After parsing.
import { describe, expect, it } from 'vitest';
import { backoffMs, retryDelayMs } from '../../../../local/cloud-tasks/backoff.js';
import { QUEUE_DEFAULTS } from '../../../../local/cloud-tasks/queue-config.js';
import { retryAfterMs } from '../../../../local/cloud-tasks/retry-after.js';

const documented = { ...QUEUE_DEFAULTS, minBackoffMs: 10_000, maxBackoffMs: 300_000, maxDoublings: 3 };

describe('backoffMs', () => {
  it('follows the RetryConfig docs example: 10, 20, 40, 80, 160, 240, 300, 300 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(n, documented) / 1000)).toEqual([10, 20, 40, 80, 160, 240, 300, 300]);
  });
});

describe('retryDelayMs', () => {
  it('uses the backoff when no Retry-After is given', () => {
    expect(retryDelayMs(2, undefined, documented)).toBe(20_000);
  });

  it('waits for a longer Retry-After, capped at max_backoff, but never less than the backoff', () => {
    expect(retryDelayMs(1, 60_000, documented)).toBe(60_000);
    expect(retryDelayMs(1, 1_000_000, documented)).toBe(300_000);
    expect(retryDelayMs(3, 1_000, documented)).toBe(40_000);
  });
});

describe('retryAfterMs', () => {
  it('reads delay-seconds and HTTP dates, and ignores anything else', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(['1.5'], now)).toBe(1500);
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
