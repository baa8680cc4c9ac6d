import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../backend/src/kernel/token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst up to capacity, then asks the caller to wait until a token refills', () => {
    const bucket = new TokenBucket(1 / 100, 3, 0); // one token per 100 ms, burst of 3
    expect([bucket.tryTake(1, 0), bucket.tryTake(1, 0), bucket.tryTake(1, 0)]).toEqual([0, 0, 0]);
    expect(bucket.tryTake(1, 0)).toBe(100);
    expect(bucket.tryTake(1, 100)).toBe(0);
  });

  it('may start part full, and refuses a start outside 0..capacity', () => {
    const bucket = new TokenBucket(1 / 100, 4, 0, 2);
    expect([bucket.tryTake(1, 0), bucket.tryTake(1, 0)]).toEqual([0, 0]);
    expect(bucket.tryTake(1, 0)).toBe(100);
    expect(() => new TokenBucket(1, 4, 0, 5)).toThrow('TokenBucket initial must be from 0 to capacity (4), got 5');
    expect(() => new TokenBucket(1, 4, 0, -1)).toThrow(RangeError);
  });

  it('never holds more than its capacity however long it idles', () => {
    const bucket = new TokenBucket(1, 2, 0);
    bucket.tryTake(2, 0);
    expect(bucket.tryTake(2, 1_000_000)).toBe(0);
    expect(bucket.tryTake(1, 1_000_000)).toBeGreaterThan(0);
  });

  it('lets a request larger than the bucket through when full, leaving a debt later callers wait out', () => {
    const bucket = new TokenBucket(1, 10, 0);
    expect(bucket.tryTake(25, 0)).toBe(0);
    expect(bucket.tryTake(1, 0)).toBe(16);
  });

  it('refuses everything while blocked by a Retry-After', () => {
    const bucket = new TokenBucket(1, 10, 0);
    bucket.blockUntil(500);
    expect(bucket.tryTake(1, 100)).toBe(400);
    expect(bucket.tryTake(1, 500)).toBe(0);
  });

  it('gives tokens back when reported usage is below the estimate', () => {
    const bucket = new TokenBucket(1 / 1000, 100, 0);
    bucket.tryTake(100, 0);
    bucket.adjust(40, 0);
    expect(bucket.tryTake(40, 0)).toBe(0);
  });

  it('rejects a zero rate with an exact message', () => {
    expect(() => new TokenBucket(0, 1, 0)).toThrow('TokenBucket rate must be > 0, got 0');
  });
});
