// Research jobs through the whole engine: SQLite, the local queue, the OpenAI stand-in, the Tavily adapter and the page fetcher.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalQueue } from '../../../../backend/src/adapters/local-queue/index.js';
import { OpenAiModelClient } from '../../../../backend/src/adapters/openai/openai-model-client.js';
import { openDatabase } from '../../../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../../../backend/src/adapters/sqlite/sqlite-store.js';
import { systemClock } from '../../../../backend/src/adapters/system-clock/system-clock.js';
import { TavilySearch } from '../../../../backend/src/adapters/tavily/tavily-search.js';
import { WebPages } from '../../../../backend/src/adapters/web-pages/web-pages.js';
import { Engine, type Progress } from '../../../../backend/src/engine/engine.js';
import { parseJobConfig } from '../../../../backend/src/engine/job-config.js';
import { SOURCES_COLUMN } from '../../../../backend/src/engine/research/research-plan.js';
import type { Row } from '../../../../backend/src/ports/domain.js';
import { testTarget } from '../../../helpers/embedded-harness.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { startSearchStandIn, type SearchStandIn } from '../../../../local/search/server.js';

interface World {
  engine: Engine;
  store: SqliteStore;
  openai: OpenAiStandIn;
  web: SearchStandIn;
  /** Every URL the search adapter returned, per query. */
  returned: Set<string>;
  settle(jobId: string): Promise<Progress>;
  close(): Promise<void>;
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function startWorld(pageTimeoutMs?: number): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-research-'));
  const db = openDatabase({ path: join(dir, 'rowfill.db') });
  const store = new SqliteStore(db);
  const queue = new LocalQueue({ db, clock: systemClock, pollIntervalMs: 20, maxDispatchesPerSecond: 5000, minBackoffMs: 20, maxBackoffMs: 2000 });
  const [openai, web] = await Promise.all([startOpenAiStandIn(), startSearchStandIn()]);
  const returned = new Set<string>();
  const tavily = new TavilySearch({ apiKey: 'tvly-test', baseURL: web.url, simulated: true, requestsPerMinute: 60_000 });
  const search = {
    simulated: true,
    search: async (request: Parameters<TavilySearch['search']>[0]) => {
      const result = await tavily.search(request);
      for (const hit of result.results) returned.add(hit.url);
      return result;
    },
  };
  const pages = new WebPages({ allowLoopback: true, resolve: (hostname) => web.resolve(hostname), maxAttempts: 1, ...(pageTimeoutMs ? { timeoutMs: pageTimeoutMs, maxTimeoutMs: pageTimeoutMs } : {}) });
  const model = new OpenAiModelClient({ apiKey: 'sk-test', baseURL: openai.url, simulated: true });
  const engine = new Engine({ store, queue, model, clock: systemClock, search, pages }, { pumpIntervalMs: 100, backoff: { baseMs: 50, capMs: 500 } });
  queue.start(engine.handleTask);
  return {
    engine,
    store,
    openai,
    web,
    returned,
    async settle(jobId) {
      let last: Progress | undefined;
      for await (const p of engine.progress(jobId, { intervalMs: 50, signal: AbortSignal.timeout(60_000) })) last = p;
      if (!last?.settled) throw new Error(`job did not settle: ${JSON.stringify(last?.counts)}`);
      return last;
    },
    async close() {
      await queue.stop();
      await store.close();
      db.close();
      await Promise.all([openai.close(), web.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const config = (patch: Record<string, unknown> = {}) =>
  parseJobConfig({
    inputs: ['Brand'],
    outputs: [
      { name: 'Founded', instruction: 'Year the brand was founded', type: 'number' },
      { name: 'Website', instruction: 'Official website', type: 'url' },
    ],
    model: 'gpt-4.1-mini',
    workers: 8,
    budgetUsd: 5,
    attemptTimeoutMs: 5000,
    research: { enabled: true },
    ...patch,
  });

function rows(w: World, n: number) {
  return w.web.companies.slice(0, n).map((c, i) => ({ rowId: `r${i}`, rowNumber: i + 2, inputs: { Brand: c.name } }));
}

async function allRows(w: World, jobId: string): Promise<Row[]> {
  return w.store.listRows({ jobId, limit: 1_000_000 });
}

describe('research jobs', () => {
  it('fills rows from their own pages, with sources its tool calls returned, charging tokens and searches', async () => {
    world = await startWorld();
    const w = world;
    const job = await w.engine.startJob({ owner: 't', target: testTarget('test:research'), config: config(), rows: rows(w, 30) });
    const end = await w.settle(job.id);
    expect(end.counts).toMatchObject({ total: 30, done: 30, failed: 0 });
    for (const row of await allRows(w, job.id)) {
      const company = w.web.companies.find((c) => c.name === row.inputs.Brand)!;
      expect(row.outputs!.Founded).toBe(company.founded);
      const sources = String(row.outputs![SOURCES_COLUMN]).split('\n');
      expect(sources.length).toBeGreaterThan(0);
      for (const url of sources) expect(w.returned.has(url) || w.web.requestLog.some((e) => e.kind === 'page' && e.target === url)).toBe(true);
    }
    // Spend = the stand-ins' own billing: model tokens at the price, plus $0.008 per search.
    const tokens = w.openai.requestLog.filter((e) => e.billed).reduce((s, e) => ({ input: s.input + e.promptTokens, output: s.output + e.completionTokens }), { input: 0, output: 0 });
    const billed = (tokens.input * 0.4 + tokens.output * 1.6) / 1e6 + w.web.usage.searches * 0.008;
    expect(end.counts.spentUsd).toBeCloseTo(billed, 6);
    expect(end.counts.reservedUsd).toBe(0);
  });

  it('catches fabricated citations: a row ends done with only known sources, or output_invalid', async () => {
    world = await startWorld();
    const w = world;
    w.openai.configure({ faults: { fabricatedCitation: 0.4 } });
    const job = await w.engine.startJob({ owner: 't', target: testTarget('test:fabricated'), config: config(), rows: rows(w, 30) });
    const end = await w.settle(job.id);
    expect(end.counts.done + end.counts.failed).toBe(30);
    for (const row of await allRows(w, job.id)) {
      if (row.status === 'failed') {
        expect(row.errorClass).toBe('output_invalid');
        continue;
      }
      for (const url of String(row.outputs![SOURCES_COLUMN]).split('\n')) expect(url).not.toContain('invented.example');
    }
    expect(w.openai.requestLog.some((e) => e.fault === 'fabricatedCitation')).toBe(true);
  });

  it('pauses at the budget with spent + reserved never above it, counting searches', async () => {
    world = await startWorld();
    const w = world;
    const job = await w.engine.startJob({ owner: 't', target: testTarget('test:budget'), config: config({ budgetUsd: 0.3, workers: 4 }), rows: rows(w, 40) });
    const paused = await w.settle(job.id);
    expect(paused.job.status).toBe('paused');
    expect(paused.job.pauseReason).toBe('budget');
    expect(paused.counts.spentUsd + paused.counts.reservedUsd).toBeLessThanOrEqual(0.3);
    const tokens = w.openai.requestLog.filter((e) => e.billed).reduce((s, e) => s + e.promptTokens * 0.4 + e.completionTokens * 1.6, 0) / 1e6;
    expect(tokens + w.web.usage.searches * 0.008).toBeLessThanOrEqual(0.3);
    expect(paused.counts.done).toBeGreaterThan(0);
  });

  it('ends every row done or with a precise class when 20% of searches and of pages fail, never past its attempts', async () => {
    world = await startWorld(300);
    const w = world;
    w.web.configure({ searchFaults: { rateLimit: 0.1, error500: 0.1 }, pageFaults: { slow: 0.1, blocked: 0.1 }, slowMs: 2000 });
    const job = await w.engine.startJob({ owner: 't', target: testTarget('test:faults'), config: config({ maxAttempts: 3 }), rows: rows(w, 40) });
    const end = await w.settle(job.id);
    expect(end.counts.done + end.counts.failed).toBe(40);
    expect(end.counts.done).toBeGreaterThan(30);
    for (const row of await allRows(w, job.id)) {
      expect(row.attempt).toBeLessThanOrEqual(3);
      if (row.status === 'failed') expect(['search_rate_limit', 'search_server', 'output_invalid']).toContain(row.errorClass);
      else for (const url of String(row.outputs![SOURCES_COLUMN]).split('\n')) expect(w.returned.has(url) || w.web.requestLog.some((e) => e.kind === 'page' && e.target === url)).toBe(true);
    }
    expect(w.web.requestLog.some((e) => e.fault === 'blocked')).toBe(true);
    expect(w.web.requestLog.some((e) => e.fault === 'rateLimit' || e.fault === 'error500')).toBe(true);
  });
});
