// Cheap mode's "finish late rows fast": the rows an expired batch did not answer run as fast calls at full price.
import { afterEach, describe, expect, it } from 'vitest';
import { costOf } from '../../backend/src/engine/pricing.js';
import { DEFAULT_PRICES, priceFor } from '../../backend/src/kernel/models.js';
import { rowKeyOf } from '../../local/openai/row-inputs.js';
import { brandRows, expectedOutputs, jobConfig, testTarget } from '../helpers/embedded-harness.js';
import { standInBill, startCheapHarness, type CheapHarness } from '../helpers/cheap-harness.js';

let h: CheapHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('cheap mode, finish late rows fast (SQLite, Batch API stand-in)', () => {
  it('runs the rows an expired batch left unanswered as fast calls, billed at full price, and every row is done', async () => {
    // Every batch expires half answered, for the whole test: only the fast calls can finish the other half.
    h = await startCheapHarness({ standIn: { batchExpireFraction: 0.5 } });
    const config = jobConfig({ mode: 'cheap', lateRows: 'fast', budgetUsd: 5 });
    expect(config.lateRows).toBe('fast');
    const job = await h.engine.startJob({ owner: 'test', target: testTarget('cheap-late-fast'), config, rows: brandRows(200) });
    const { status, counts } = await h.rest(job.id, 30_000);
    expect(status).toBe('completed');
    expect(counts.done).toBe(200);
    expect(counts.reservedUsd).toBe(0);

    // One batch, expired with half answered; the other half were normal chat calls, not a second batch.
    const records = await h.batches.listBatches(job.id);
    expect(records.map((r) => [r.phase, r.providerStatus])).toEqual([['applied', 'expired']]);
    const bill = standInBill(h.standIn, config.model);
    expect(bill.batchRequests).toBe(100);
    expect(bill.fastRequests).toBe(100);
    expect(counts.spentUsd).toBeCloseTo(bill.usd, 6);

    // Each row answered once, in the batch or fast, never both; a fast row's cost is its usage at the full price.
    const billed = h.standIn.requestLog.filter((e) => e.billed);
    const inBatch = new Set(billed.filter((e) => e.batchId).map((e) => e.rowKey));
    const fast = new Set(billed.filter((e) => !e.batchId).map((e) => e.rowKey));
    expect(inBatch.size + fast.size).toBe(200);
    const price = priceFor(config.model, DEFAULT_PRICES)!;
    const rows = await h.store.listRows({ jobId: job.id, limit: 201 });
    for (const row of rows) {
      expect(row.status).toBe('done');
      expect(row.outputs).toEqual(expectedOutputs(config, row.inputs));
      const key = rowKeyOf(row.inputs);
      expect(inBatch.has(key) !== fast.has(key)).toBe(true);
      if (fast.has(key)) expect(row.costUsd).toBeCloseTo(costOf(row.usage, price), 9);
      else expect(row.costUsd).toBeCloseTo(costOf(row.usage, price) / 2, 9);
    }
  }, 60_000);
});
