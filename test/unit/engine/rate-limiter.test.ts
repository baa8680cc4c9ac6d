import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../backend/src/engine/rate-limiter.js';

describe('RateLimiter', () => {
  it('lets everything through for a model with no known limits', () => {
    const l = new RateLimiter();
    for (let i = 0; i < 1000; i++) expect(l.tryAcquire('m', 100, 0)).toBe(0);
  });

  it('paces requests to the configured requests/min with headroom', () => {
    const l = new RateLimiter({ headroom: 1, burstSeconds: 1 });
    l.configure('m', { rpm: 600 }, 0);
    let admitted = 0;
    for (let t = 0; t <= 10_000; t += 10) while (l.tryAcquire('m', 1, t) === 0) admitted++;
    // 10 per second for 10 s plus the initial burst of 10
    expect(admitted).toBeGreaterThanOrEqual(105);
    expect(admitted).toBeLessThanOrEqual(111);
  });

  it('paces by tokens/min when tokens are the tighter limit, and refunds a cancelled acquire', () => {
    const l = new RateLimiter({ headroom: 1 });
    l.configure('m', { rpm: 10_000, tpm: 6000 }, 0); // 100 tokens per second
    expect(l.tryAcquire('m', 100, 0)).toBe(0);
    expect(l.tryAcquire('m', 100, 0)).toBeGreaterThan(0);
    l.refund('m', 100, 0);
    expect(l.tryAcquire('m', 100, 0)).toBe(0);
  });

  it('learns limits from response headers when none were configured, starting empty: the blind calls spent the burst', () => {
    const l = new RateLimiter({ headroom: 1 });
    l.observe('m', { limitRequests: 60, remainingRequests: 60 }, 0);
    expect(l.tryAcquire('m', 1, 0)).toBe(1000);
    expect(l.tryAcquire('m', 1, 1000)).toBe(0);
    expect(l.tryAcquire('m', 1, 1000)).toBeGreaterThan(0);
  });

  it("sends a job's first requests at once, with no ramp: most of a second's burst at the start", () => {
    const l = new RateLimiter();
    l.configure('m', { rpm: 1200 }, 0);
    let atOnce = 0;
    while (l.tryAcquire('m', 1, 0) === 0) atOnce++;
    expect(atOnce).toBeGreaterThanOrEqual(14);
  });

  it('holds a quarter of the burst back at the start, so a bunched first second stays under the provider\'s own bucket', () => {
    // The provider's bucket is full when the job starts: 20 requests at once, then 20 a second, at 1,200 requests/min.
    const l = new RateLimiter();
    l.configure('m', { rpm: 1200 }, 0);
    let atOnce = 0;
    while (l.tryAcquire('m', 1, 0) === 0) atOnce++;
    expect(atOnce).toBeLessThanOrEqual(15);
    let firstSecond = atOnce;
    for (let t = 10; t <= 1000; t += 10) while (l.tryAcquire('m', 1, t) === 0) firstSecond++;
    // 5 requests of slack against the provider's 40 in its first second: room for requests that arrive bunched.
    expect(firstSecond).toBeLessThanOrEqual(35);
  });

  it('starts a tokens/min bucket full, so one large request need not wait at the start', () => {
    const l = new RateLimiter();
    l.configure('m', { tpm: 6000 }, 0);
    expect(l.tryAcquire('m', 99, 0)).toBe(0);
  });

  it('holds all calls after a 429 until Retry-After passes', () => {
    const l = new RateLimiter();
    l.backOff('m', 2000, 0);
    expect(l.tryAcquire('m', 1, 1000)).toBe(1000);
    expect(l.tryAcquire('m', 1, 2000)).toBe(0);
  });

  it('tells the rates it paces at once a limit is known, not for a bucket that only holds a Retry-After', () => {
    const l = new RateLimiter({ headroom: 1 });
    expect(l.rates('m')).toEqual({});
    l.backOff('m', 1000, 0);
    expect(l.rates('m')).toEqual({});
    l.observe('m', { limitRequests: 6000, limitTokens: 600_000 }, 0);
    expect(l.rates('m')).toEqual({ requestsPerMs: 0.1, tokensPerMs: 10 });
  });
});
