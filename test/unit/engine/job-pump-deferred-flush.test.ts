// The pump when the Sheets quota has no token: nothing is marked written, the rows ride in a later flush, the job completes only once all are written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalQueue } from '../../../backend/src/adapters/local-queue/index.js';
import { OpenAiModelClient } from '../../../backend/src/adapters/openai/openai-model-client.js';
import { openDatabase } from '../../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../../backend/src/adapters/sqlite/sqlite-store.js';
import { systemClock } from '../../../backend/src/adapters/system-clock/system-clock.js';
import { composeEngine } from '../../../backend/src/compose/engine.js';
import { TERMINAL_ROW_STATUSES, type Job, type Row } from '../../../backend/src/ports/domain.js';
import type { FlushResult, ResultSink } from '../../../backend/src/ports/sheet.js';
import { startOpenAiStandIn } from '../../../local/openai/server.js';
import { brandRows, jobConfig, testTarget } from '../../helpers/embedded-harness.js';

/** A sink whose quota refuses the first `refusals` flushes that carry finished rows; it then writes whatever it is given. */
class QuotaLimitedSink implements ResultSink {
  readonly writes = new Map<string, number>();
  readonly batches: number[] = [];
  deferred = 0;

  constructor(private refusals: number) {}

  flush(_job: Job, rows: readonly Row[]): Promise<FlushResult> {
    const finished = rows.filter((r) => TERMINAL_ROW_STATUSES.includes(r.status));
    if (finished.length > 0 && this.refusals > 0) {
      this.refusals -= 1;
      this.deferred += 1;
      return Promise.resolve({ written: [], missing: [], duplicated: [], deferred: { retryAfterMs: 1000 } });
    }
    if (finished.length > 0) this.batches.push(finished.length);
    for (const row of finished) this.writes.set(row.rowId, (this.writes.get(row.rowId) ?? 0) + 1);
    return Promise.resolve({ written: rows.map((r) => r.rowId), missing: [], duplicated: [] });
  }
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function started(sink: QuotaLimitedSink, latencyMs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-deferred-'));
  const db = openDatabase({ path: join(dir, 'rowfill.db') });
  const store = new SqliteStore(db);
  const queue = new LocalQueue({ db, clock: systemClock, pollIntervalMs: 20, maxDispatchesPerSecond: 5000, minBackoffMs: 20, maxBackoffMs: 2000 });
  const openai = await startOpenAiStandIn({ latencyMs });
  const model = new OpenAiModelClient({ apiKey: 'sk-test', baseURL: openai.url, simulated: true });
  const engine = composeEngine({ store, queue, model, clock: systemClock, sinks: () => sink }, { pumpIntervalMs: 50, backoff: { baseMs: 50, capMs: 500 } });
  queue.start(engine.handleTask);
  close = async () => {
    await queue.stop();
    await store.close();
    db.close();
    await openai.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { engine, store };
}

describe('JobPump with a Sheets quota that has no token', () => {
  it('keeps every finished row for a later flush, which carries them all, and completes the job only once each is written', async () => {
    const sink = new QuotaLimitedSink(8);
    const { engine, store } = await started(sink, 5);
    const job = await engine.startJob({ owner: 't', target: testTarget('deferred'), config: jobConfig({ workers: 8 }), rows: brandRows(40) });
    const signal = AbortSignal.timeout(60_000);
    let last;
    for await (const p of engine.progress(job.id, { intervalMs: 50, signal })) last = p;
    expect(last?.settled).toBe(true);
    expect((await store.getJob(job.id))?.status).toBe('completed');
    expect(sink.deferred).toBe(8);
    // Every row written exactly once, none dropped, and the flushes after the refusals carried many rows each.
    expect([...sink.writes.values()]).toEqual(Array(40).fill(1));
    expect(sink.writes.size).toBe(40);
    expect(Math.max(...sink.batches)).toBeGreaterThan(1);
  });

  it('writes a cancelled job\'s rows once the quota allows, though the job is over', async () => {
    const sink = new QuotaLimitedSink(5);
    const { engine } = await started(sink, 300);
    const job = await engine.startJob({ owner: 't', target: testTarget('cancelled'), config: jobConfig({ workers: 2 }), rows: brandRows(20) });
    await new Promise((r) => setTimeout(r, 400));
    await engine.cancel(job.id);
    const deadline = Date.now() + 20_000;
    while (sink.writes.size < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sink.deferred).toBe(5);
    expect(sink.writes.size).toBe(20);
  });
});
