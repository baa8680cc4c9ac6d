// TavilySearch against the local search stand-in: results, billing, its own requests/min bucket, typed errors and retries.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TavilySearch, type TavilySearchOptions } from '../../../../backend/src/adapters/tavily/tavily-search.js';
import {
  SearchAuthError,
  SearchInvalidRequestError,
  SearchQuotaError,
  SearchRateLimitError,
  SearchServerError,
} from '../../../../backend/src/kernel/errors.js';
import type { Clock } from '../../../../backend/src/ports/clock.js';
import { startSearchStandIn, type SearchStandIn } from '../../../../local/search/server.js';

let standIn: SearchStandIn;

beforeAll(async () => {
  standIn = await startSearchStandIn();
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.configure({ rpm: null, searchFaults: { rateLimit: 0, error500: 0, quota: 0, slow: 0 }, latencyMs: 0, seed: 1 });
  standIn.resetLog();
});

/** A clock whose sleeps return at once and move time forward, recording each wait: no real waiting, no timing asserts. */
function steppingClock(): Clock & { waits: number[] } {
  let now = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: (ms, signal) => {
      signal?.throwIfAborted();
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

const signal = (): AbortSignal => new AbortController().signal;
const client = (options: Partial<TavilySearchOptions> = {}): TavilySearch =>
  new TavilySearch({ apiKey: 'tvly-test', baseURL: standIn.url, simulated: true, requestsPerMinute: 6000, clock: steppingClock(), random: () => 0.5, ...options });
const searchFailure = (search: TavilySearch, query = 'Patagonia founded') =>
  search.search({ query, maxResults: 5, signal: signal() }).then(() => null, (e: unknown) => e);

describe('TavilySearch against the stand-in', () => {
  it('returns the pages of the company the query names, with titles, snippets and scores, and counts the search', async () => {
    const result = await client().search({ query: 'Patagonia founded year', maxResults: 3, signal: signal() });
    expect(result.results).toHaveLength(3);
    for (const hit of result.results) {
      expect(hit.url).toMatch(/^http:\/\/(patagonia|directory)\.rowfill\.test:\d+\//);
      expect(hit.content).toContain('Patagonia');
      expect(hit.score).toBeGreaterThan(0);
    }
    expect(result.results[0]!.title).toBe('About us | Patagonia');
    expect(result.usage).toEqual({ searches: 1, credits: 1 });
    expect(standIn.usage).toMatchObject({ searches: 1, credits: 1 });
  });

  it('sends the documented request: Bearer key, query, max_results, search_depth', async () => {
    await client({ searchDepth: 'advanced' }).search({ query: 'Nike headquarters', maxResults: 2, signal: signal() });
    expect(standIn.requestLog.at(-1)).toMatchObject({ kind: 'search', target: 'Nike headquarters', status: 200, size: 2, credits: 2 });
  });

  it('a query that names no company returns no results, and is still a billed search', async () => {
    const result = await client().search({ query: 'zzzz qqqq', maxResults: 5, signal: signal() });
    expect(result.results).toEqual([]);
    expect(result.usage.searches).toBe(1);
  });

  it('a rejected key is search_auth (the job pauses) and is not retried', async () => {
    const error = await searchFailure(client({ apiKey: 'tvly-invalid', maxAttempts: 3 }));
    expect(error).toBeInstanceOf(SearchAuthError);
    expect((error as SearchAuthError).effect).toBe('pause');
    expect((error as Error).message).toContain('TAVILY_API_KEY');
    expect(standIn.requestLog).toHaveLength(1);
  });

  it('a used-up plan (432) is search_quota and is not retried', async () => {
    standIn.configure({ searchFaults: { quota: 1 } });
    const error = await searchFailure(client({ maxAttempts: 3 }));
    expect(error).toBeInstanceOf(SearchQuotaError);
    expect((error as SearchQuotaError).status).toBe(432);
    expect(standIn.requestLog).toHaveLength(1);
  });

  it('a server error is retried up to maxAttempts, then search_server', async () => {
    standIn.configure({ searchFaults: { error500: 1 } });
    expect(await searchFailure(client({ maxAttempts: 3 }))).toBeInstanceOf(SearchServerError);
    expect(standIn.requestLog.map((e) => e.status)).toEqual([500, 500, 500]);
    expect(standIn.usage.searches).toBe(0);
  });

  it("a 429 waits at least the API's Retry-After, slows this client's rate, and the retry succeeds", async () => {
    standIn.configure({ searchFaults: { rateLimit: 0.5 }, seed: 7 });
    const clock = steppingClock();
    const search = client({ clock, maxAttempts: 10, requestsPerMinute: 600 });
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await search.search({ query: 'Adidas', maxResults: 1, signal: signal() }));
    expect(outcomes.every((o) => o.results.length === 1)).toBe(true);
    const limited = standIn.requestLog.filter((e) => e.status === 429).length;
    expect(limited).toBeGreaterThan(0);
    expect(clock.waits.filter((ms) => ms >= 1000).length).toBeGreaterThanOrEqual(limited);
    expect(search.requestsPerMinute).toBeLessThan(600);
  });

  it('the last 429 surfaces as search_rate_limit with its Retry-After', async () => {
    standIn.configure({ searchFaults: { rateLimit: 1 } });
    const error = await searchFailure(client({ maxAttempts: 2 }));
    expect(error).toBeInstanceOf(SearchRateLimitError);
    expect((error as SearchRateLimitError).retryAfterMs).toBe(1000);
    expect(standIn.requestLog).toHaveLength(2);
  });

  it('its own bucket spaces searches at the set rate (waits on its clock, not on the API)', async () => {
    const clock = steppingClock();
    const search = client({ clock, requestsPerMinute: 60 });
    for (let i = 0; i < 4; i++) await search.search({ query: 'Puma', maxResults: 1, signal: signal() });
    expect(standIn.requestLog.map((e) => e.status)).toEqual([200, 200, 200, 200]);
    // 60/min with a one-request burst: each search after the first waits about a second for its token.
    expect(clock.waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2900);
  });

  it('refuses an empty query or a bad maxResults without sending anything', async () => {
    const search = client();
    await expect(search.search({ query: '  ', maxResults: 5, signal: signal() })).rejects.toBeInstanceOf(SearchInvalidRequestError);
    await expect(search.search({ query: 'Nike', maxResults: 0, signal: signal() })).rejects.toBeInstanceOf(SearchInvalidRequestError);
    expect(standIn.requestLog).toHaveLength(0);
  });

  it('an unreachable base URL is search_server naming TAVILY_BASE_URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await searchFailure(client({ baseURL: `http://127.0.0.1:${port}/`, maxAttempts: 1 }));
    expect(error).toBeInstanceOf(SearchServerError);
    expect((error as Error).message).toContain('TAVILY_BASE_URL');
  });

  it("the caller's abort ends the search with the caller's reason", async () => {
    standIn.configure({ latencyMs: 5_000 });
    const controller = new AbortController();
    const reason = new SearchServerError('row deadline');
    const pending = client({ clock: undefined }).search({ query: 'Nike', maxResults: 1, signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it.each([
    [{ apiKey: '' }, 'TavilySearch: apiKey must be a non-empty string (set TAVILY_API_KEY)'],
    [{ baseURL: 'ftp://x' }, 'TavilySearch: baseURL must be an http(s) URL, got "ftp://x"'],
    [{ requestsPerMinute: 0 }, 'TavilySearch: requestsPerMinute must be a positive number, got 0'],
    [{ searchDepth: 'deep' }, "TavilySearch: searchDepth must be 'basic' or 'advanced', got \"deep\""],
    [{ maxAttempts: 0 }, 'TavilySearch: maxAttempts must be a positive integer, got 0'],
  ] as const)('options %j are refused with an exact message', (options, message) => {
    expect(() => new TavilySearch({ apiKey: 'tvly-x', ...options } as TavilySearchOptions)).toThrow(message);
  });
});
