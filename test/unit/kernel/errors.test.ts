import { describe, expect, it } from 'vitest';
import { AuthError, ConnectionError, ContentFilterError, InvalidRequestError, QuotaError, RateLimitError, ServerError, TimeoutError, errorFromHttp, parseRetryAfter } from '../../../backend/src/kernel/errors.js';

const facts = (status: number | undefined, code?: string) => errorFromHttp({ status, code, message: 'm' });

describe('errorFromHttp', () => {
  it.each([
    [429, undefined, RateLimitError, 'retry'],
    [429, 'insufficient_quota', QuotaError, 'pause'],
    [401, 'invalid_api_key', AuthError, 'pause'],
    [403, undefined, AuthError, 'pause'],
    [408, undefined, TimeoutError, 'retry'],
    [500, undefined, ServerError, 'retry'],
    [503, undefined, ServerError, 'retry'],
    [400, undefined, InvalidRequestError, 'fail'],
    [400, 'content_filter', ContentFilterError, 'fail'],
    [undefined, undefined, ConnectionError, 'retry'],
  ])('maps status %s code %s to the right class and effect', (status, code, cls, effect) => {
    const error = facts(status, code);
    expect(error).toBeInstanceOf(cls);
    expect(error.effect).toBe(effect);
  });

  it('carries Retry-After through', () => {
    expect(errorFromHttp({ status: 429, message: 'slow down', retryAfterMs: 1234 }).retryAfterMs).toBe(1234);
  });
});

describe('parseRetryAfter', () => {
  const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });
  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), 0)).toBe(250);
    expect(parseRetryAfter(headers({ 'retry-after': '2' }), 0)).toBe(2000);
    expect(parseRetryAfter(headers({ 'retry-after': new Date(10_000).toUTCString() }), 4000)).toBe(6000);
  });
  it('ignores nonsense', () => {
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});
