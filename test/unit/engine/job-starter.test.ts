// Starting a job: the key check overlaps reading the rows, yet a refused key still leaves no job and no rows behind.
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../../backend/src/engine/row-intake.js';
import { jobConfig, startHarness, testTarget, type Harness } from '../../helpers/embedded-harness.js';

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
