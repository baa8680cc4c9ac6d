// An auto job's window covers the whole time a row holds its slot, not only its model call.
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../backend/src/ports/store.js';
import { brandRows, jobConfig, startHarness, testTarget, wrapStore, type Harness } from '../../helpers/embedded-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const STEP_MS = 150;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The store as a busy Firestore looks to the engine: each claim and finish takes STEP_MS; every window asked is kept. */
function slowStore(store: Store, windows: number[]): Store {
  return wrapStore(store, {
    claimRow: (real) => async (request) => (await pause(STEP_MS), real(request)),
    finishRow: (real) => async (request) => (await pause(STEP_MS), real(request)),
    dispatchRows: (real) => (request) => (windows.push(request.maxInFlight), real(request)),
  });
}

describe('RowRunner: the window of an auto job', () => {
  it('counts the time a row spends in the store around its call, so a slow store does not leave the model idle', async () => {
    const windows: number[] = [];
    // 600 requests a minute (10 calls/s), 50 ms calls: rate × call latency × 1.5 is 1 row in flight, while a row holds
    // its slot for ~2 × 150 ms of store steps more: to keep 10 calls a second going it needs ~5.
    h = await startHarness({ standIn: { latencyMs: 50 }, engineStore: (store) => slowStore(store, windows) });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('test:slow-store'), config: jobConfig({ workers: 'auto', rpm: 600 }), rows: brandRows(30) });
    const end = await h.settle(job.id);
    expect(end.counts).toMatchObject({ done: 30, failed: 0 });
    expect(Math.max(...windows.slice(-10))).toBeGreaterThanOrEqual(4);
  }, 30_000);
});
