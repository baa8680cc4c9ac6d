import { describe, expect, it } from 'vitest';
import { attemptTimeout, backoffDelay } from '../../../backend/src/kernel/backoff.js';

const policy = { baseMs: 1000, capMs: 60_000 };

describe('backoffDelay', () => {
  it('grows the jitter ceiling exponentially per attempt', () => {
    const top = () => 0.999999;
    expect(backoffDelay(policy, 1, top)).toBe(999);
    expect(backoffDelay(policy, 3, top)).toBe(3999);
  });

  it('caps the ceiling', () => {
    expect(backoffDelay(policy, 30, () => 0.999999)).toBeLessThanOrEqual(60_000);
  });

  it('uses full jitter: a low draw waits almost nothing', () => {
    expect(backoffDelay(policy, 5, () => 0)).toBe(0);
  });

  it('never waits less than the provider asked in Retry-After, even above the cap', () => {
    expect(backoffDelay(policy, 1, () => 0, 5000)).toBe(5000);
    expect(backoffDelay(policy, 1, () => 0, 120_000)).toBe(120_000);
  });
});

describe('attemptTimeout', () => {
  it('grows by half per attempt up to the cap', () => {
    expect([1, 2, 3, 4].map((a) => attemptTimeout(1000, 3000, a))).toEqual([1000, 1500, 2250, 3000]);
  });
});
