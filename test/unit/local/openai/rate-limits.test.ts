// Token buckets for RPM/TPM: capacity is burstSeconds' worth, refill is continuous, oversized requests still pass.
import { describe, expect, it } from 'vitest';
import { RateLimiter, TokenBucket, UNLIMITED_REPORT } from '../../../../local/openai/rate-limits.js';

describe('TokenBucket', () => {
  it('starts full at limit × burstSeconds / 60 and refills at limit / 60 per second', () => {
    const bucket = new TokenBucket(600, 1, 0);
    expect(bucket.available(0)).toBe(10);
    bucket.take(10, 0);
    expect(bucket.available(0)).toBe(0);
    expect(bucket.available(500)).toBeCloseTo(5);
    expect(bucket.available(10_000)).toBe(10);
  });

  it('says how long until an amount fits, and until it is full again', () => {
    const bucket = new TokenBucket(600, 1, 0);
    bucket.take(10, 0);
    expect(bucket.waitMs(1, 0)).toBeCloseTo(100);
    expect(bucket.resetMs(0)).toBeCloseTo(1000);
  });

  it('admits a cost above the capacity once full, going into debt so the long-run rate holds', () => {
    const bucket = new TokenBucket(60, 1, 0);
    expect(bucket.waitMs(5, 0)).toBe(0);
    bucket.take(5, 0);
    expect(bucket.waitMs(5, 0)).toBeCloseTo(5000);
  });
});

describe('RateLimiter', () => {
  it('refuses the request beyond the RPM burst with the wait until the next one', () => {
    const limiter = new RateLimiter({ rpm: 120, tpm: null, burstSeconds: 1 }, 0);
    expect(limiter.tryAdmit(10, 0)).toEqual({ admitted: true });
    expect(limiter.tryAdmit(10, 0)).toEqual({ admitted: true });
    const refused = limiter.tryAdmit(10, 0);
    expect(refused).toMatchObject({ admitted: false, kind: 'requests', limit: 120 });
    expect(refused.admitted === false && refused.retryAfterMs).toBeCloseTo(500);
    expect(limiter.tryAdmit(10, 500)).toEqual({ admitted: true });
  });

  it('refuses on tokens without charging the request bucket', () => {
    const limiter = new RateLimiter({ rpm: 600, tpm: 6000, burstSeconds: 1 }, 0);
    expect(limiter.tryAdmit(80, 0)).toEqual({ admitted: true });
    expect(limiter.tryAdmit(80, 0)).toMatchObject({ admitted: false, kind: 'tokens', limit: 6000 });
    expect(limiter.headers(0)['x-ratelimit-remaining-requests']).toBe('9');
    expect(limiter.headers(0)['x-ratelimit-remaining-tokens']).toBe('20');
  });

  it('reports limits, what is left right now and when it is full again in OpenAI formats', () => {
    const limiter = new RateLimiter({ rpm: 600, tpm: 360_000, burstSeconds: 60 }, 0);
    limiter.tryAdmit(360_000, 0);
    expect(limiter.headers(0)).toEqual({
      'x-ratelimit-limit-requests': '600',
      'x-ratelimit-limit-tokens': '360000',
      'x-ratelimit-remaining-requests': '599',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-requests': '100ms',
      'x-ratelimit-reset-tokens': '1m0s',
    });
  });

  it('admits everything and reports large numbers when no limit is set', () => {
    const limiter = new RateLimiter({ rpm: null, tpm: null, burstSeconds: 1 }, 0);
    for (let i = 0; i < 10_000; i++) expect(limiter.tryAdmit(1_000_000, 0).admitted).toBe(true);
    expect(limiter.headers(0)['x-ratelimit-limit-requests']).toBe(String(UNLIMITED_REPORT));
    expect(limiter.headers(0)['x-ratelimit-remaining-tokens']).toBe(String(UNLIMITED_REPORT));
    expect(limiter.headers(0)['x-ratelimit-reset-requests']).toBe('0s');
  });
});
