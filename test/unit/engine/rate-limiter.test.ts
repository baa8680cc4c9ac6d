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

  it('learns limits from response headers when none were configured', () => {
    const l = new RateLimiter({ headroom: 1 });
    l.observe('m', { limitRequests: 60 }, 0);
    expect(l.tryAcquire('m', 1, 0)).toBe(0);
    expect(l.tryAcquire('m', 1, 0)).toBeGreaterThan(0);
  });

  it('holds all calls after a 429 until Retry-After passes', () => {
    const l = new RateLimiter();
    l.backOff('m', 2000, 0);
    expect(l.tryAcquire('m', 1, 1000)).toBe(1000);
    expect(l.tryAcquire('m', 1, 2000)).toBe(0);
  });
});
