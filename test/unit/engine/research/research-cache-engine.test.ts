// Research jobs run twice through the whole engine: the second run's searches and pages come from the cache, free.
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
import { testTarget } from '../../../helpers/embedded-harness.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { startSearchStandIn, type SearchStandIn } from '../../../../local/search/server.js';

interface World {
  engine: Engine;
  store: SqliteStore;
  openai: OpenAiStandIn;
  web: SearchStandIn;
  settle(jobId: string): Promise<Progress>;
  close(): Promise<void>;
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function startWorld(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-research-cache-'));
  const db = openDatabase({ path: join(dir, 'rowfill.db') });
  const store = new SqliteStore(db);
  const queue = new LocalQueue({ db, clock: systemClock, pollIntervalMs: 20, maxDispatchesPerSecond: 5000, minBackoffMs: 20, maxBackoffMs: 2000 });
  const [openai, web] = await Promise.all([startOpenAiStandIn(), startSearchStandIn()]);
  const search = new TavilySearch({ apiKey: 'tvly-test', baseURL: web.url, simulated: true, requestsPerMinute: 60_000 });
  const pages = new WebPages({ allowLoopback: true, resolve: (hostname) => web.resolve(hostname), maxAttempts: 1 });
  const model = new OpenAiModelClient({ apiKey: 'sk-test', baseURL: openai.url, simulated: true });
  const engine = new Engine({ store, queue, model, clock: systemClock, search, pages }, { pumpIntervalMs: 100, backoff: { baseMs: 50, capMs: 500 } });
  queue.start(engine.handleTask);
  return {
    engine,
    store,
    openai,
    web,
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

/** The model stand-in's own billing since entry `from` of its log, at gpt-4.1-mini's price. */
function modelUsd(w: World, from: number): number {
  return w.openai.requestLog.slice(from).filter((e) => e.billed).reduce((s, e) => s + e.promptTokens * 0.4 + e.completionTokens * 1.6, 0) / 1e6;
}

describe('research cache across jobs', () => {
  it('runs the same rows again (forced) with 0 searches and 0 page fetches, costing only model tokens', async () => {
    world = await startWorld();
    const w = world;
    const rows = w.web.companies.slice(0, 20).map((c, i) => ({ rowId: `r${i}`, rowNumber: i + 2, inputs: { Brand: c.name } }));

    const first = await w.engine.startJob({ owner: 't', target: testTarget('test:cache'), config: config(), rows });
    const one = await w.settle(first.id);
    expect(one.counts).toMatchObject({ total: 20, done: 20 });
    const searches = w.web.usage.searches;
    const pages = w.web.usage.pages;
    expect(searches).toBeGreaterThan(0);
    expect(pages).toBeGreaterThan(0);
    expect(one.counts.spentUsd).toBeCloseTo(modelUsd(w, 0) + searches * 0.008, 6);

    // Forced: the row answers are not reused, so every row runs its tool loop again, over the cached tools.
    const logFrom = w.openai.requestLog.length;
    const second = await w.engine.startJob({ owner: 't', target: testTarget('test:cache'), config: config({ force: true }), rows });
    const two = await w.settle(second.id);
    expect(two.counts).toMatchObject({ total: 20, done: 20 });
    expect(w.web.usage.searches).toBe(searches);
    expect(w.web.usage.pages).toBe(pages);
    expect(w.openai.requestLog.slice(logFrom).filter((e) => e.billed).length).toBeGreaterThan(0);
    expect(two.counts.spentUsd).toBeCloseTo(modelUsd(w, logFrom), 6);
    // Sources still rest on what this row's (cached) tool calls returned.
    for (const row of await w.store.listRows({ jobId: second.id, limit: 100 })) expect(String(row.outputs![SOURCES_COLUMN])).not.toBe('');
  });
});
