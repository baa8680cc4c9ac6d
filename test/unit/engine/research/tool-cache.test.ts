// The research search and page cache over the real Tavily adapter and page fetcher, against the local search stand-in and SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../../../backend/src/adapters/sqlite/sqlite-store.js';
import { TavilySearch } from '../../../../backend/src/adapters/tavily/tavily-search.js';
import { WebPages } from '../../../../backend/src/adapters/web-pages/web-pages.js';
import { resolveEngineOptions } from '../../../../backend/src/engine/options.js';
import { RESEARCH_CAPS } from '../../../../backend/src/engine/research/research-caps.js';
import { pageResultContent, searchResultContent } from '../../../../backend/src/engine/research/tool-results.js';
import { DEFAULT_RESEARCH_CACHE_TTL_MS, normalizeQuery, normalizeUrl, pageCacheKey, ResearchToolCache, searchCacheKey } from '../../../../backend/src/engine/research/tool-cache.js';
import type { Clock } from '../../../../backend/src/ports/clock.js';
import { silentLogger } from '../../../../backend/src/ports/logger.js';
import { startSearchStandIn, type SearchStandIn } from '../../../../local/search/server.js';

const HOUR = 3600_000;

interface World {
  web: SearchStandIn;
  store: SqliteStore;
  clock: Clock & { advance(ms: number): void };
  tavily: TavilySearch;
  pages: WebPages;
  cache(ttlMs?: number): ResearchToolCache;
  close(): Promise<void>;
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function startWorld(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-tool-cache-'));
  const db = openDatabase({ path: join(dir, 'rowfill.db') });
  const store = new SqliteStore(db);
  const web = await startSearchStandIn();
  let offset = 0;
  // Real waits, a movable "now": entries expire when the test says, without waiting a day.
  const clock = {
    now: () => Date.now() + offset,
    sleep: (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason as Error); }, { once: true });
    }),
    advance: (ms: number) => { offset += ms; },
  };
  const tavily = new TavilySearch({ apiKey: 'tvly-test', baseURL: web.url, simulated: true, requestsPerMinute: 60_000, maxAttempts: 1 });
  const pages = new WebPages({ allowLoopback: true, resolve: (hostname) => web.resolve(hostname), maxAttempts: 1 });
  return {
    web,
    store,
    clock,
    tavily,
    pages,
    cache: (ttlMs = DEFAULT_RESEARCH_CACHE_TTL_MS) => new ResearchToolCache({ store, clock, log: silentLogger, ttlMs }),
    async close() {
      await store.close();
      db.close();
      await web.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const signal = () => AbortSignal.timeout(10_000);
const searchesMade = (w: World) => w.web.requestLog.filter((e) => e.kind === 'search').length;
const pagesFetched = (w: World) => w.web.requestLog.filter((e) => e.kind === 'page').length;

function searchVia(w: World, cache: ResearchToolCache, query: string, s: AbortSignal = signal()) {
  return cache.search((r) => w.tavily.search(r), w.tavily.simulated, { query, maxResults: 5, signal: s });
}

function openVia(w: World, cache: ResearchToolCache, url: string, s: AbortSignal = signal()) {
  return cache.openPage((r) => w.pages.open(r), { url, signal: s });
}

describe('keys', () => {
  it('treats queries differing only in case and spacing as one, and URLs differing only in host case or fragment as one', () => {
    expect(normalizeQuery('  Acme\t Corp  founded ')).toBe('acme corp founded');
    expect(normalizeUrl('HTTP://Acme.Rowfill.TEST:80/About#team')).toBe('http://acme.rowfill.test/About');
    expect(normalizeUrl('not a url')).toBeUndefined();
  });

  it('defaults the TTL to 24 h and refuses a negative one with an exact message', () => {
    expect(resolveEngineOptions().researchCacheTtlMs).toBe(24 * HOUR);
    expect(() => resolveEngineOptions({ researchCacheTtlMs: -1 })).toThrow('Expected `researchCacheTtlMs` to be a number >= 0, got `-1`');
  });
});

describe('research tool cache', () => {
  it('answers a repeated search from the store: no request, nothing billed, the same results', async () => {
    world = await startWorld();
    const w = world;
    const company = w.web.companies[0]!;
    const first = await searchVia(w, w.cache(), `${company.name} founded`);
    expect(first.usage.searches).toBe(1);
    // Another process (a new cache over the same store) and another spelling of the same query.
    const again = await searchVia(w, w.cache(), `  ${company.name.toUpperCase()}   FOUNDED `);
    expect(again.results).toEqual(first.results);
    expect(again.usage).toEqual({ searches: 0, credits: 0 });
    expect(searchesMade(w)).toBe(1);
    expect(w.web.usage.searches).toBe(1);
  });

  it('makes identical searches in flight at once only once, and bills one of them', async () => {
    world = await startWorld();
    const w = world;
    w.web.configure({ latencyMs: 200 });
    const cache = w.cache();
    const query = `${w.web.companies[1]!.name} headquarters`;
    const results = await Promise.all([query, query.toLowerCase(), ` ${query} `, query].map((q) => searchVia(w, cache, q)));
    expect(searchesMade(w)).toBe(1);
    expect(results.map((r) => r.usage.searches).sort()).toEqual([0, 0, 0, 1]);
    for (const r of results) expect(r.results).toEqual(results[0]!.results);
  });

  it('makes them once even with the store cache off (TTL 0), and stores nothing', async () => {
    world = await startWorld();
    const w = world;
    w.web.configure({ latencyMs: 200 });
    const cache = w.cache(0);
    const query = `${w.web.companies[2]!.name} ceo`;
    await Promise.all([searchVia(w, cache, query), searchVia(w, cache, query)]);
    expect(searchesMade(w)).toBe(1);
    await searchVia(w, cache, query);
    expect(searchesMade(w)).toBe(2);
  });

  it('keeps a shared search going for the rows still waiting when the row that started it is cancelled', async () => {
    world = await startWorld();
    const w = world;
    w.web.configure({ latencyMs: 300 });
    const cache = w.cache();
    const query = `${w.web.companies[3]!.name} products`;
    const cancel = new AbortController();
    const first = searchVia(w, cache, query, cancel.signal);
    const second = searchVia(w, cache, query);
    cancel.abort(new Error('row cancelled'));
    await expect(first).rejects.toThrow('row cancelled');
    const result = await second;
    expect(result.results.length).toBeGreaterThan(0);
    // The search was made once, and the row that got it pays for it.
    expect(result.usage.searches).toBe(1);
    expect(searchesMade(w)).toBe(1);
  });

  it('searches again once the entry has expired', async () => {
    world = await startWorld();
    const w = world;
    const cache = w.cache(2 * HOUR);
    const query = `${w.web.companies[4]!.name} employees`;
    await searchVia(w, cache, query);
    w.clock.advance(2 * HOUR - 60_000);
    expect((await searchVia(w, cache, query)).usage.searches).toBe(0);
    w.clock.advance(60_000);
    expect((await searchVia(w, cache, query)).usage.searches).toBe(1);
    expect(searchesMade(w)).toBe(2);
  });

  it('does not keep a failed search: the next one asks the service again', async () => {
    world = await startWorld();
    const w = world;
    const cache = w.cache();
    const query = `${w.web.companies[5]!.name} founded`;
    w.web.configure({ searchFaults: { error500: 1 } });
    await expect(searchVia(w, cache, query)).rejects.toMatchObject({ errorClass: 'search_server' });
    w.web.configure({ searchFaults: { error500: 0 } });
    const result = await searchVia(w, cache, query);
    expect(result.usage.searches).toBe(1);
    expect(result.results.length).toBeGreaterThan(0);
    expect(searchesMade(w)).toBe(2);
  });

  it('reads a page once across rows and spellings of its URL, and not a failed one', async () => {
    world = await startWorld();
    const w = world;
    const cache = w.cache();
    const hits = await searchVia(w, cache, `${w.web.companies[6]!.name} about`);
    const url = hits.results[0]!.url;
    const page = await openVia(w, cache, url);
    const again = await openVia(w, w.cache(), `${url}#history`);
    expect(again).toEqual(page);
    expect(pagesFetched(w)).toBe(1);

    const other = hits.results.find((h) => normalizeUrl(h.url) !== normalizeUrl(url))?.url ?? `${url}?other=1`;
    w.web.configure({ pageFaults: { notFound: 1 } });
    await expect(openVia(w, cache, other)).rejects.toMatchObject({ errorClass: 'page_not_found' });
    w.web.configure({ pageFaults: { notFound: 0 } });
    await openVia(w, cache, other);
    expect(pagesFetched(w)).toBe(3);
  });

  it('keeps only what the model can be shown of a long page or snippet, so the stored entry is small and the tool message the same', async () => {
    world = await startWorld();
    const w = world;
    const long = 'The company was founded by two engineers in a garage. '.repeat(4_000);
    const page = { url: 'https://long.example/about', title: 'About '.repeat(100), text: long, truncated: false, contentType: 'text/html', bytes: 2_000_000 };
    const hits = Array.from({ length: 5 }, (_, i) => ({ url: `https://long.example/${i}`, title: 'T'.repeat(500), content: long, score: 0.5 }));
    const never = () => Promise.reject(new Error('the cache should have answered'));

    await w.cache().openPage(() => Promise.resolve(page), { url: page.url, signal: signal() });
    await w.cache().search(() => Promise.resolve({ results: hits, usage: { searches: 1, credits: 1 } }), false, { query: 'long', maxResults: 5, signal: signal() });
    const cachedPage = await w.cache().openPage(never, { url: page.url, signal: signal() });
    const cachedSearch = await w.cache().search(never, false, { query: 'LONG', maxResults: 5, signal: signal() });

    expect(pageResultContent(cachedPage, RESEARCH_CAPS.pageTokens)).toBe(pageResultContent(page, RESEARCH_CAPS.pageTokens));
    expect(searchResultContent('long', cachedSearch.results, RESEARCH_CAPS.searchResultTokens)).toBe(searchResultContent('long', hits, RESEARCH_CAPS.searchResultTokens));
    const now = w.clock.now();
    for (const key of [pageCacheKey(normalizeUrl(page.url)!), searchCacheKey({ query: 'long', maxResults: 5 }, false)]) {
      const entry = await w.store.getCache(key, now);
      expect(JSON.stringify(entry!.outputs).length).toBeLessThan(64_000);
    }
  });
});
