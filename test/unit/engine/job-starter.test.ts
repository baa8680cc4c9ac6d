// Starting a job: the key check overlaps reading the rows, yet a refused key still leaves no job and no rows behind.
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../../backend/src/engine/row-intake.js';
import type { Store } from '../../../backend/src/ports/store.js';
import { brandRows, jobConfig, startHarness, testTarget, wrapStore, type Harness } from '../../helpers/embedded-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Rows that count how many of them were read. */
function countedRows(count: number): { rows: Iterable<SourceRow>; read: () => number } {
  let read = 0;
  function* rows(): Generator<SourceRow> {
    for (let i = 0; i < count; i++) {
      read++;
      yield { rowId: String(i + 2), rowNumber: i + 2, inputs: { Brand: `Brand ${i}`, Country: 'FR' } };
    }
  }
  return { rows: rows(), read: () => read };
}

describe('JobStarter.start', () => {
  it('reads the rows while the key check is in flight, and a refused key stores nothing', async () => {
    h = await startHarness({ apiKey: 'sk-invalid', engine: { validateModel: true } });
    const source = countedRows(50);
    await expect(h.engine.startJob({ owner: 't', target: testTarget('test:refused'), config: jobConfig(), rows: source.rows })).rejects.toMatchObject({ code: 'model_unavailable' });
    // The rows were read and prepared concurrently with the check (before, nothing was read until it had answered)…
    expect(source.read()).toBe(50);
    // …but nothing was stored and nothing was sent to the model.
    expect(await h.store.listJobs()).toEqual([]);
    expect(h.standIn.requestLog.filter((e) => e.billed)).toHaveLength(0);
  });

  it('stores every row once the key check has passed', async () => {
    h = await startHarness({ engine: { validateModel: true } });
    const source = countedRows(2_500);
    const job = await h.engine.startJob({ owner: 't', target: testTarget('test:passed'), config: jobConfig({ budgetUsd: null }), rows: source.rows });
    expect((await h.store.counts(job.id)).total).toBe(2_500);
  });
});

describe('JobStarter.estimate', () => {
  it('prices the selection in both modes: cheap at the Batch API\'s half price, its worst case with one repair at the full price', async () => {
    h = await startHarness();
    const estimate = await h.engine.estimate({ target: testTarget('test:estimate'), config: jobConfig(), rows: countedRows(40).rows });
    expect(estimate).toMatchObject({ rows: 40, toRun: 40, priced: true });
    expect(estimate.cheapCostLowUsd).toBeCloseTo(estimate.costLowUsd / 2, 12);
    expect(estimate.cheapCostHighUsd).toBeCloseTo(estimate.costHighUsd / 2, 12);
    // The first answer at half price, the one repair (run fast) at the full price: between half and all of fast's.
    expect(estimate.cheapWorstCaseUsd).toBeGreaterThan(estimate.worstCaseUsd / 2);
    expect(estimate.cheapWorstCaseUsd).toBeLessThan(estimate.worstCaseUsd);
    // The same numbers whichever mode the config names: the sidebar shows both before the user chooses.
    const asCheap = await h.engine.estimate({ target: testTarget('test:estimate'), config: jobConfig({ mode: 'cheap' }), rows: countedRows(40).rows });
    expect(asCheap).toEqual(estimate);
  });
});

describe('JobStarter.start when the first slots cannot be given out', () => {
  it('still starts the job (it is running, its rows stored), and the pump gives the slots out', async () => {
    let refused = 0;
    // A store too busy for the start's dispatch (on the emulator, ten starts at once: a dispatch out of retries).
    const busyAtFirst = (store: Store): Store =>
      wrapStore(store, { dispatchRows: (real) => (request) => (refused === 0 ? (refused++, Promise.reject(new Error('Exceeded maximum number of retries allowed.'))) : real(request)) });
    h = await startHarness({ standIn: { latencyMs: 5 }, engineStore: busyAtFirst });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('test:busy-start'), config: jobConfig({ workers: 4 }), rows: brandRows(12) });
    expect(job.status).toBe('running');
    expect(refused).toBe(1);
    const end = await h.settle(job.id);
    expect(end.counts).toMatchObject({ total: 12, done: 12 });
  });
});
