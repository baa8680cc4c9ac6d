// The Search port on Tavily's REST API (POST /search) with plain fetch: its own rate limit, typed errors, bounded retries.
import { backoffDelay } from '../../kernel/backoff.js';
import { parseRetryAfter, SearchInvalidRequestError, SearchServerError } from '../../kernel/errors.js';
import type { Clock, Random } from '../../ports/clock.js';
import type { Search, SearchHit, SearchRequest, SearchResult } from '../../ports/search.js';
import { systemClock } from '../system-clock/system-clock.js';
import { SearchRate } from './search-rate.js';
import { tavilyErrorDetail, tavilyHttpError, tavilyNetworkError } from './tavily-errors.js';
import { isHttpUrl } from '../shared/http-url.js';

export interface TavilySearchOptions {
  /** Required, non-empty (TAVILY_API_KEY). Sent as `Authorization: Bearer …`. */
  readonly apiKey: string;
  /** Default `https://api.tavily.com` (TAVILY_BASE_URL; the stand-in's `url` in tests and the no-key demo). */
  readonly baseURL?: string | undefined;
  /** True when `baseURL` is the local stand-in, so results are labelled simulated. Default false. */
  readonly simulated?: boolean | undefined;
  /** Requests per minute this client sends at most (`--search-rpm`); slowed on 429s, recovering to it. Default 100. */
  readonly requestsPerMinute?: number | undefined;
  /** `basic` (1 credit) or `advanced` (2 credits). Default `basic`. */
  readonly searchDepth?: 'basic' | 'advanced' | undefined;
  /** Attempts per search for rate limits and server errors; auth, quota and invalid requests are never retried. Default 3. */
  readonly maxAttempts?: number | undefined;
  /** Time and waiting. Default the system clock. */
  readonly clock?: Clock | undefined;
  /** Jitter of the wait between attempts. Default Math.random. */
  readonly random?: Random | undefined;
}

export const DEFAULT_TAVILY_BASE_URL = 'https://api.tavily.com';
export const DEFAULT_SEARCH_RPM = 100;
const RETRY_WAIT = { baseMs: 500, capMs: 8_000 } as const;

export class TavilySearch implements Search {
  readonly simulated: boolean;
  readonly baseURL: string;
  private readonly apiKey: string;
  private readonly depth: 'basic' | 'advanced';
  private readonly maxAttempts: number;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly rate: SearchRate;

  constructor(options: TavilySearchOptions) {
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new Error('TavilySearch: apiKey must be a non-empty string (set TAVILY_API_KEY)');
    }
    if (options.baseURL !== undefined && !isHttpUrl(options.baseURL)) {
      throw new Error(`TavilySearch: baseURL must be an http(s) URL, got ${JSON.stringify(options.baseURL)}`);
    }
    if (options.simulated !== undefined && typeof options.simulated !== 'boolean') throw new Error('TavilySearch: simulated must be a boolean when given');
    const rpm = options.requestsPerMinute ?? DEFAULT_SEARCH_RPM;
    if (typeof rpm !== 'number' || !Number.isFinite(rpm) || rpm <= 0) {
      throw new Error(`TavilySearch: requestsPerMinute must be a positive number, got ${JSON.stringify(options.requestsPerMinute)}`);
    }
    const depth = options.searchDepth ?? 'basic';
    if (depth !== 'basic' && depth !== 'advanced') throw new Error(`TavilySearch: searchDepth must be 'basic' or 'advanced', got ${JSON.stringify(depth)}`);
    const attempts = options.maxAttempts ?? 3;
    if (!Number.isSafeInteger(attempts) || attempts < 1) throw new Error(`TavilySearch: maxAttempts must be a positive integer, got ${JSON.stringify(attempts)}`);
    this.apiKey = options.apiKey;
    this.baseURL = (options.baseURL ?? DEFAULT_TAVILY_BASE_URL).replace(/\/+$/, '');
    this.simulated = options.simulated ?? false;
    this.depth = depth;
    this.maxAttempts = attempts;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.rate = new SearchRate(rpm, this.clock.now());
  }

  /** The requests/min this client allows itself right now (learned from 429s). */
  get requestsPerMinute(): number {
    return this.rate.requestsPerMinute;
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    const { query, maxResults, signal } = request;
    if (typeof query !== 'string' || query.trim() === '') throw new SearchInvalidRequestError('A web search needs a non-empty query');
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 20) {
      throw new SearchInvalidRequestError(`maxResults must be an integer from 1 to 20, got ${JSON.stringify(maxResults)}`);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(query, maxResults, signal);
      } catch (error) {
        const typed = tavilyNetworkError(error, signal, this.baseURL);
        if (signal.aborted || !typed.retryable || attempt >= this.maxAttempts) throw typed;
        await this.sleep(backoffDelay(RETRY_WAIT, attempt, this.random, typed.retryAfterMs), signal);
      }
    }
  }

  private async once(query: string, maxResults: number, signal: AbortSignal): Promise<SearchResult> {
    await this.admit(signal);
    let response: Response;
    try {
      response = await fetch(`${this.baseURL}/search`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          query,
          max_results: maxResults,
          search_depth: this.depth,
          include_answer: false,
          include_raw_content: false,
          include_images: false,
          include_usage: true,
        }),
        signal,
      });
    } catch (error) {
      throw tavilyNetworkError(error, signal, this.baseURL);
    }
    const body = await readJson(response, signal, this.baseURL);
    if (!response.ok) {
      const retryAfterMs = parseRetryAfter(response.headers, this.clock.now());
      const error = tavilyHttpError(response.status, tavilyErrorDetail(body), retryAfterMs, this.baseURL);
      if (response.status === 429) this.rate.onRateLimited(this.clock.now(), retryAfterMs);
      throw error;
    }
    this.rate.onSuccess(this.clock.now());
    return { results: hitsOf(body), usage: { searches: 1, credits: creditsOf(body, this.depth) } };
  }

  /** Waits until the requests/min bucket lets one more search go. */
  private async admit(signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const waitMs = this.rate.tryTake(this.clock.now());
      if (waitMs === 0) return;
      await this.sleep(waitMs, signal);
    }
  }

  private async sleep(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await this.clock.sleep(ms, signal);
    } catch (error) {
      throw tavilyNetworkError(error, signal, this.baseURL);
    }
  }
}

async function readJson(response: Response, signal: AbortSignal, baseURL: string): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw tavilyNetworkError(error, signal, baseURL);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (!response.ok) return null;
    throw new SearchServerError(`Tavily answered ${response.status} with a body that is not JSON`, { status: response.status });
  }
}

/** The results that carry a URL; a malformed entry is skipped rather than failing the search. */
function hitsOf(body: unknown): SearchHit[] {
  const results: unknown = typeof body === 'object' && body !== null && 'results' in body ? body.results : undefined;
  if (!Array.isArray(results)) throw new SearchServerError('Tavily answered 200 without a results list');
  const hits: SearchHit[] = [];
  for (const item of results as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const r = item as Record<string, unknown>;
    if (typeof r.url !== 'string' || !isHttpUrl(r.url)) continue;
    hits.push({
      url: r.url,
      title: typeof r.title === 'string' ? r.title : '',
      content: typeof r.content === 'string' ? r.content : '',
      score: typeof r.score === 'number' && Number.isFinite(r.score) ? r.score : undefined,
    });
  }
  return hits;
}

/** Credits Tavily reports with include_usage; its published price when it does not (basic 1, advanced 2). */
function creditsOf(body: unknown, depth: 'basic' | 'advanced'): number {
  const usage: unknown = typeof body === 'object' && body !== null && 'usage' in body ? body.usage : undefined;
  if (typeof usage === 'object' && usage !== null && 'credits' in usage && typeof usage.credits === 'number' && usage.credits >= 0) return usage.credits;
  return depth === 'advanced' ? 2 : 1;
}
