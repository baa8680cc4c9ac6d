// Single flight across a crash: the row that held an identical request's key when its process died takes it back at once.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalQueue } from '../../../backend/src/adapters/local-queue/index.js';
import { OpenAiModelClient } from '../../../backend/src/adapters/openai/openai-model-client.js';
import { openDatabase } from '../../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../../backend/src/adapters/sqlite/sqlite-store.js';
import { systemClock } from '../../../backend/src/adapters/system-clock/system-clock.js';
import { Engine } from '../../../backend/src/engine/engine.js';
import { jobConfig, startHarness, testTarget, type Harness } from '../../helpers/embedded-harness.js';

let h: Harness | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await h?.close();
  h = undefined;
});

describe('Engine single flight after a crash', () => {
  it('a restarted process runs the row that held the key when the first one died, without waiting for the hold to lapse', async () => {
    h = await startHarness({ startQueue: false, standIn: { faults: { hang: 1 } } });
    const rows = [0, 1, 2].map((i) => ({ rowId: `r${i}`, rowNumber: i + 2, inputs: { Brand: 'Lego', Country: 'Denmark' } }));
    const job = await h.engine.startJob({ owner: 't', target: testTarget('s:crash'), config: jobConfig({ workers: 3 }), rows });
    const [first] = (await h.store.listRows({ jobId: job.id, limit: 10 })).filter((r) => r.dispatched);
    // The first process takes the key and its call never comes back: then it "dies" (its task is simply abandoned).
    // (Its call fails when the test closes the stand-in, and its late finish meets a closed store: nobody is left to care.)
    h.engine.handleTask({ name: 'first', kind: 'row', payload: { jobId: job.id, rowId: first!.rowId, dispatchSeq: first!.dispatchSeq }, deliveryAttempt: 1 }).catch(() => undefined);
    const standIn = h.standIn;
    const deadline = Date.now() + 10_000;
    while (standIn.requestLog.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(standIn.requestLog).toHaveLength(1);
    standIn.configure({ faults: { hang: 0 } });

    // `rowfill resume` in a new process: recover the dead leases, then run.
    const db = openDatabase({ path: join(h.dir, 'rowfill.db') });
    const store = new SqliteStore(db);
    const queue = new LocalQueue({ db, clock: systemClock, pollIntervalMs: 20, minBackoffMs: 20, maxBackoffMs: 2000 });
    const model = new OpenAiModelClient({ apiKey: 'sk-test', baseURL: standIn.url, simulated: true });
    const engine = new Engine({ store, queue, model, clock: systemClock }, { pumpIntervalMs: 100, backoff: { baseMs: 50, capMs: 500 } });
    closers.push(async () => {
      await queue.stop();
      db.close();
    });
    queue.start(engine.handleTask);
    await engine.recoverExclusive(job.id);
    let end;
    for await (const p of engine.progress(job.id, { intervalMs: 50, signal: AbortSignal.timeout(30_000) })) end = p;
    expect(end?.job.status).toBe('completed');
    expect(end?.counts).toMatchObject({ done: 3, cached: 2 });
    expect(standIn.requestLog.filter((e) => e.billed)).toHaveLength(1);
  });
});
