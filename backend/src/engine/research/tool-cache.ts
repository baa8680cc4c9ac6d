// Research mode's search and page cache: results reused across rows and jobs for a TTL, identical calls in flight made once.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../ports/clock.js';
import type { Outputs } from '../../ports/domain.js';
import type { Logger } from '../../ports/logger.js';
import type { OpenedPage, PageRequest } from '../../ports/pages.js';
import type { SearchRequest, SearchResult } from '../../ports/search.js';
import type { Store } from '../../ports/store.js';
import { RESEARCH_CAPS } from './research-caps.js';

/** How long a search's results or a page's text is reused. Pages and rankings change; a day keeps a re-run cheap and fresh enough. */
export const DEFAULT_RESEARCH_CACHE_TTL_MS = 24 * 3600_000;

// What is kept is what the loop can ever show (tool-results.ts: 4 characters a token, titles cut at 200), so a cached
// result gives the model exactly the tool message a fresh one would, and every entry stays small.
const TITLE_CHARS = 200;
const HIT_CONTENT_CHARS = RESEARCH_CAPS.searchResultTokens * 4;
const PAGE_TEXT_CHARS = RESEARCH_CAPS.pageTokens * 4;
const MAX_HITS = 20;
/** An entry longer than this (JSON characters; absurd URLs only) is not stored: far under Firestore's 1 MiB document. */
const MAX_ENTRY_CHARS = 256_000;

/** Trimmed, lower-cased, whitespace collapsed: "Acme  Corp " and "acme corp" are one search. */
export function normalizeQuery(query: string): string {
  return query.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The URL as fetched: scheme and host lower-cased, default port and fragment dropped (never sent); undefined if not a URL. */
export function normalizeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    parsed.hash = '';
    return parsed.href;
  } catch {
    return undefined;
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Store keys, in their own namespaces so they never meet a row's answer key (a bare hash). Simulated results never serve a real run. */
export function searchCacheKey(request: Pick<SearchRequest, 'query' | 'maxResults'>, simulated: boolean): string {
  return `research-search:${sha256(JSON.stringify([normalizeQuery(request.query), request.maxResults, simulated]))}`;
}
export function pageCacheKey(normalizedUrl: string): string {
  return `research-page:${sha256(normalizedUrl)}`;
}

const hitsSchema = z.array(z.object({ url: z.string(), title: z.string(), content: z.string(), score: z.number().optional() }));
const storedSearch = z.object({ hits: z.string() });
const storedPage = z.object({ url: z.string(), title: z.string(), text: z.string(), truncated: z.boolean(), contentType: z.string(), bytes: z.number() });

function searchToEntry(result: SearchResult): Outputs {
  const hits = result.results.slice(0, MAX_HITS).map((h) => ({
    url: h.url,
    title: h.title.slice(0, TITLE_CHARS),
    content: h.content.slice(0, HIT_CONTENT_CHARS),
    ...(h.score !== undefined ? { score: h.score } : {}),
  }));
  return { hits: JSON.stringify(hits) };
}

function searchFromEntry(outputs: Outputs): SearchResult | undefined {
  const stored = storedSearch.safeParse(outputs);
  if (!stored.success) return undefined;
  try {
    const hits = hitsSchema.safeParse(JSON.parse(stored.data.hits));
    return hits.success ? { results: hits.data, usage: { searches: 0, credits: 0 } } : undefined;
  } catch {
    return undefined;
  }
}

function pageToEntry(page: OpenedPage): Outputs {
  const cut = page.text.length > PAGE_TEXT_CHARS;
  return { url: page.url, title: page.title.slice(0, TITLE_CHARS), text: page.text.slice(0, PAGE_TEXT_CHARS), truncated: page.truncated || cut, contentType: page.contentType, bytes: page.bytes };
}

function pageFromEntry(outputs: Outputs): OpenedPage | undefined {
  const stored = storedPage.safeParse(outputs);
  return stored.success ? stored.data : undefined;
}

/** A rejection with the signal's reason as soon as it aborts; else `promise`'s outcome. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.finally(() => signal.removeEventListener('abort', onAbort)).then(resolve, reject);
  });
}

interface Flight<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  waiters: number;
  settled: boolean;
}

/**
 * One call per key at a time in this process. Each caller waits with its own signal; the shared call is aborted only
 * when every caller has left, so one row's cancel or timeout never fails another row's search.
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Flight<T>>();

  async run(key: string, signal: AbortSignal, make: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal.aborted) throw signal.reason as Error;
    const existing = this.flights.get(key);
    const flight = existing ?? this.start(key, make);
    flight.waiters++;
    try {
      return await untilAborted(flight.promise, signal);
    } finally {
      flight.waiters--;
      if (flight.waiters === 0 && !flight.settled) {
        if (this.flights.get(key) === flight) this.flights.delete(key);
        flight.controller.abort(signal.reason);
      }
    }
  }

  /** Calls in flight now (for tests and logs). */
  get size(): number {
    return this.flights.size;
  }

  private start(key: string, make: (signal: AbortSignal) => Promise<T>): Flight<T> {
    const controller = new AbortController();
    const flight: Flight<T> = { promise: make(controller.signal), controller, waiters: 0, settled: false };
    const done = (): void => {
      flight.settled = true;
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    flight.promise.then(done, done);
    this.flights.set(key, flight);
    return flight;
  }
}

export interface ToolCacheDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
  /** 0 turns the cross-job cache off (nothing read or stored); identical calls in flight are still made once. */
  readonly ttlMs: number;
}

/** A search as its flight gave it: `unpaid` while a request was sent and no caller has yet been charged for it. */
interface Searched {
  readonly result: SearchResult;
  unpaid: boolean;
}

/**
 * The decorator the row runner puts over the Search and Pages ports. A cached or shared search reports 0 searches, so
 * it is not billed again; the loop still counts it against the row's `maxSearches` (the model asked for it). Failures
 * are never stored: the next row or job tries again.
 */
export class ResearchToolCache {
  private readonly searches = new SingleFlight<Searched>();
  private readonly pages = new SingleFlight<OpenedPage>();

  constructor(private readonly deps: ToolCacheDeps) {}

  /** `search` with the cache in front; the function the loop's `search` io calls. */
  async search(search: (request: SearchRequest) => Promise<SearchResult>, simulated: boolean, request: SearchRequest): Promise<SearchResult> {
    const key = searchCacheKey(request, simulated);
    const value = await this.searches.run(key, request.signal, async (signal): Promise<Searched> => {
      const stored = await this.read(key);
      const cached = stored && searchFromEntry(stored);
      if (cached) return { result: cached, unpaid: false };
      const result = await search({ ...request, signal });
      await this.write(key, searchToEntry(result));
      return { result, unpaid: true };
    });
    // One caller pays for a request made (the one that started it, or the first still waiting if it left); the rest got it free.
    if (value.unpaid) {
      value.unpaid = false;
      return value.result;
    }
    return { results: value.result.results, usage: { searches: 0, credits: 0 } };
  }

  /** `open` with the cache in front; a URL that does not parse goes straight to the fetcher, which refuses it. */
  async openPage(open: (request: PageRequest) => Promise<OpenedPage>, request: PageRequest): Promise<OpenedPage> {
    const url = normalizeUrl(request.url);
    if (url === undefined) return open(request);
    const key = pageCacheKey(url);
    return this.pages.run(key, request.signal, async (signal) => {
      const stored = await this.read(key);
      const cached = stored && pageFromEntry(stored);
      if (cached) return cached;
      const page = await open({ ...request, signal });
      await this.write(key, pageToEntry(page));
      return page;
    });
  }

  /** A store that cannot answer is a miss, not a failed row: the cache only saves work. */
  private async read(key: string): Promise<Outputs | undefined> {
    if (this.deps.ttlMs === 0) return undefined;
    try {
      return (await this.deps.store.getCache(key, this.deps.clock.now()))?.outputs;
    } catch (error) {
      this.deps.log.warn({ key, error: String(error) }, 'research cache read failed; calling the service');
      return undefined;
    }
  }

  private async write(key: string, outputs: Outputs): Promise<void> {
    if (this.deps.ttlMs === 0 || JSON.stringify(outputs).length > MAX_ENTRY_CHARS) return;
    try {
      await this.deps.store.putCache(key, { outputs, expiresAt: this.deps.clock.now() + this.deps.ttlMs });
    } catch (error) {
      this.deps.log.warn({ key, error: String(error) }, 'research cache write failed; the result is used uncached');
    }
  }
}
