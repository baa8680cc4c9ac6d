// Socket errors and HTTP statuses as page_* classes; and the per-host limiter's queue.
import { describe, expect, it } from 'vitest';
import { HostLimiter } from '../../../../backend/src/adapters/web-pages/host-limiter.js';
import { pageErrorFromSocket, pageErrorFromStatus } from '../../../../backend/src/adapters/web-pages/page-errors.js';

const URL_ = new URL('https://shop.example.com/about');
const coded = (code: string): Error => Object.assign(new Error(`${code} happened`), { code });

describe('pageErrorFromSocket', () => {
  it.each([
    ['CERT_HAS_EXPIRED', 'page_tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'page_tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'page_tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'page_tls'],
    ['EPROTO', 'page_tls'],
    ['ECONNREFUSED', 'page_connection'],
    ['ECONNRESET', 'page_connection'],
    ['EAI_AGAIN', 'page_connection'],
    ['ENOTFOUND', 'page_not_found'],
    ['ETIMEDOUT', 'page_timeout'],
  ])('%s is %s', (code, errorClass) => {
    const error = pageErrorFromSocket(coded(code), URL_);
    expect(error.errorClass).toBe(errorClass);
    expect(error.message).toContain(URL_.href);
  });

  it('a TLS failure is not retried; a dropped connection is', () => {
    expect(pageErrorFromSocket(coded('CERT_HAS_EXPIRED'), URL_).retryable).toBe(false);
    expect(pageErrorFromSocket(coded('ECONNRESET'), URL_).retryable).toBe(true);
  });
});

describe('pageErrorFromStatus', () => {
  it.each([
    [200, null],
    [204, null],
    [404, 'page_not_found'],
    [410, 'page_not_found'],
    [401, 'page_blocked'],
    [403, 'page_blocked'],
    [451, 'page_blocked'],
    [400, 'page_blocked'],
    [408, 'page_timeout'],
    [429, 'page_server'],
    [500, 'page_server'],
    [503, 'page_server'],
  ] as const)('%d is %s', (status, errorClass) => {
    expect(pageErrorFromStatus(status, {}, URL_, 0)?.errorClass ?? null).toBe(errorClass);
  });

  it('a bot challenge is page_blocked whatever the status, and a 429 keeps its Retry-After', () => {
    expect(pageErrorFromStatus(200, { 'cf-mitigated': 'challenge' }, URL_, 0)?.errorClass).toBe('page_blocked');
    expect(pageErrorFromStatus(429, { 'retry-after': '3' }, URL_, 0)?.retryAfterMs).toBe(3000);
  });
});

describe('HostLimiter', () => {
  it('lets 2 through per host, queues the rest in order, and lets other hosts through meanwhile', async () => {
    const limiter = new HostLimiter(2);
    const signal = new AbortController().signal;
    const first = await limiter.acquire('a', signal);
    await limiter.acquire('a', signal);
    const order: string[] = [];
    const third = limiter.acquire('a', signal).then((release) => (order.push('third'), release));
    const other = await limiter.acquire('b', signal);
    expect(limiter.active('a')).toBe(2);
    expect(order).toEqual([]);
    first();
    await third;
    expect(order).toEqual(['third']);
    expect(limiter.active('a')).toBe(2);
    other();
    expect(limiter.active('b')).toBe(0);
  });

  it('a waiter that is aborted leaves the queue', async () => {
    const limiter = new HostLimiter(1);
    const release = await limiter.acquire('a', new AbortController().signal);
    const controller = new AbortController();
    const waiting = limiter.acquire('a', controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    release();
    expect(limiter.active('a')).toBe(0);
  });
});
