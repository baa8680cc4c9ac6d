// An auto job ("as fast as my limits allow") keeps 300 rows in flight against a provider at a low limit, without 429s.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalQueue } from '../../backend/src/adapters/local-queue/index.js';
import { OpenAiModelClient } from '../../backend/src/adapters/openai/openai-model-client.js';
import { openDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../backend/src/adapters/sqlite/sqlite-store.js';
import { systemClock } from '../../backend/src/adapters/system-clock/system-clock.js';
import { composeEngine } from '../../backend/src/compose/engine.js';
import type { DispatchRequest, FinishRequest } from '../../backend/src/ports/store.js';
import type { RequestLogEntry } from '../../local/openai/request-log.js';
import { brandRows, jobConfig, testTarget } from '../helpers/embedded-harness.js';

const STAND_IN = fileURLToPath(new URL('../../local/openai/main.ts', import.meta.url));

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * The OpenAI stand-in in a process of its own, as a provider is: in the test's process, the engine's 300 rows would
 * hold up the stand-in's own event loop, and it would admit requests in bunches no remote provider sees.
 */
async function standInProcess(args: readonly string[]): Promise<{ url: string; log: () => Promise<RequestLogEntry[]> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', STAND_IN, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  });
  const [url] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const admin = url.replace(/\/v1$/, '/_standin/log');
  return { url, log: async () => (await (await fetch(admin)).json()) as RequestLogEntry[] };
}

/** Rows dispatched and not yet finished, seen from the store's side: the job's real in-flight count. */
function trackInFlight(store: SqliteStore): { peak: () => number } {
  const inFlight = new Set<string>();
  let peak = 0;
  const dispatch = store.dispatchRows.bind(store);
  const finish = store.finishRow.bind(store);
  store.dispatchRows = async (request: DispatchRequest) => {
    const rows = await dispatch(request);
    for (const r of rows) inFlight.add(r.rowId);
    peak = Math.max(peak, inFlight.size);
    return rows;
  };
  store.finishRow = async (request: FinishRequest) => {
    const recorded = await finish(request);
    if (recorded && (request.outcome.kind === 'done' || request.outcome.kind === 'failed')) inFlight.delete(request.rowId);
    return recorded;
  };
  return { peak: () => peak };
}

describe('an auto job against a provider at a low limit', () => {
  it('keeps 300 rows in flight, learns the limit from the headers and stays under it: 429s < 1% of calls, every row done', async () => {
    // 3,000 requests/min (50/s) with answers taking 5 s: 300 rows in flight would send 60/s, more than the limit allows,
    // so the client's limiter, not the window, has to pace the calls. The job itself names no limit.
    const standIn = await standInProcess(['--rpm', '3000', '--latency-ms', '5000', '--jitter-ms', '500']);
    const dir = mkdtempSync(join(tmpdir(), 'rowfill-auto-'));
    const db = openDatabase({ path: join(dir, 'rowfill.db') });
    const store = new SqliteStore(db);
    const queue = new LocalQueue({ db, clock: systemClock, pollIntervalMs: 20, maxDispatchesPerSecond: 5000, minBackoffMs: 20, maxBackoffMs: 2000 });
    cleanups.push(async () => {
      await queue.stop();
      await store.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const model = new OpenAiModelClient({ apiKey: 'sk-test', baseURL: standIn.url, simulated: true });
    const engine = composeEngine({ store, queue, model, clock: systemClock }, { pumpIntervalMs: 250, backoff: { baseMs: 50, capMs: 500 }, limits: { maxInFlight: 300 } });
    queue.start(engine.handleTask);
    const tracker = trackInFlight(store);

    const rows = 600;
    const job = await engine.startJob({
      owner: 't',
      target: testTarget('auto-in-flight'),
      config: jobConfig({ workers: 'auto', attemptTimeoutMs: 30_000, budgetUsd: 50 }),
      rows: brandRows(rows),
    });
    let last;
    for await (const p of engine.progress(job.id, { intervalMs: 100, signal: AbortSignal.timeout(120_000) })) last = p;

    expect(last?.job.status).toBe('completed');
    expect(last?.counts).toMatchObject({ total: rows, done: rows, failed: 0 });
    expect(tracker.peak()).toBe(300);
    const log = (await standIn.log()).filter((e) => e.model !== null);
    const rateLimited = log.filter((e) => e.status === 429).length;
    console.log(`auto in flight: peak ${tracker.peak()} rows, ${log.length} calls, ${rateLimited} 429s (${((100 * rateLimited) / log.length).toFixed(2)} %)`);
    expect(rateLimited / log.length).toBeLessThan(0.01);
  }, 150_000);
});
