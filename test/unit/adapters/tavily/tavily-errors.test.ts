// Tavily's answers as typed errors: which statuses retry, which pause the job, which fail the search.
import { describe, expect, it } from 'vitest';
import { tavilyErrorDetail, tavilyHttpError, tavilyNetworkError } from '../../../../backend/src/adapters/tavily/tavily-errors.js';
import { CancelledError } from '../../../../backend/src/kernel/errors.js';

const BASE = 'https://api.tavily.com';

describe('tavilyHttpError', () => {
  it.each([
    [401, 'search_auth', 'pause'],
    [403, 'search_auth', 'pause'],
    [429, 'search_rate_limit', 'retry'],
    [432, 'search_quota', 'pause'],
    [433, 'search_quota', 'pause'],
    [408, 'search_server', 'retry'],
    [500, 'search_server', 'retry'],
    [503, 'search_server', 'retry'],
    [404, 'search_server', 'retry'],
    [400, 'search_invalid_request', 'fail'],
    [422, 'search_invalid_request', 'fail'],
  ] as const)('%d is %s (%s)', (status, errorClass, effect) => {
    const error = tavilyHttpError(status, 'detail text', undefined, BASE);
    expect(error).toMatchObject({ errorClass, effect, status });
    expect(error.message).toContain('detail text');
  });

  it('keeps the Retry-After of a 429 and tells the user what to do about keys and quota', () => {
    expect(tavilyHttpError(429, '', 2000, BASE).retryAfterMs).toBe(2000);
    expect(tavilyHttpError(401, '', undefined, BASE).message).toContain('TAVILY_API_KEY');
    expect(tavilyHttpError(432, '', undefined, BASE).message).toContain('resume the job');
    expect(tavilyHttpError(404, '', undefined, BASE).message).toContain('TAVILY_BASE_URL');
  });
});

describe('tavilyErrorDetail', () => {
  it('reads { detail: { error } }, a plain detail string, or nothing', () => {
    expect(tavilyErrorDetail({ detail: { error: 'Invalid API key.' } })).toBe('Invalid API key.');
    expect(tavilyErrorDetail({ detail: 'Bad query' })).toBe('Bad query');
    expect(tavilyErrorDetail({ message: 'x' })).toBe('');
    expect(tavilyErrorDetail(null)).toBe('');
  });
});

describe('tavilyNetworkError', () => {
  it("an aborted search carries the caller's typed reason", () => {
    const controller = new AbortController();
    const reason = new CancelledError('job cancelled');
    controller.abort(reason);
    expect(tavilyNetworkError(new Error('aborted'), controller.signal, BASE)).toBe(reason);
  });

  it('a network failure is search_server naming the address', () => {
    const error = tavilyNetworkError(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }), new AbortController().signal, BASE);
    expect(error).toMatchObject({ errorClass: 'search_server', effect: 'retry' });
    expect(error.message).toContain('connect ECONNREFUSED');
    expect(error.message).toContain(BASE);
  });
});
