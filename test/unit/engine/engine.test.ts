import { afterEach, describe, expect, it } from 'vitest';
import { parseJobConfig } from '../../../backend/src/engine/job-config.js';
import type { Row } from '../../../backend/src/ports/domain.js';
import { brandRows, expectedOutputs, jobConfig, startHarness, testTarget, type Harness } from '../../helpers/embedded-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function allRows(harness: Harness, jobId: string): Promise<Row[]> {
  return harness.store.listRows({ jobId, limit: 1_000_000 });
}

const billed = (harness: Harness) => harness.standIn.requestLog.filter((e) => e.billed).length;

describe('Engine', () => {
  it('enriches every row with the model\'s answer and charges what the model reported', async () => {
    h = await startHarness();
    const job = await h.engine.startJob({ owner: 't', target: testTarget('test:a'), config: jobConfig(), rows: brandRows(200) });
    const end = await h.settle(job.id);
    expect(end.job.status).toBe('completed');
    expect(end.counts).toMatchObject({ total: 200, done: 200, failed: 0, queued: 0, running: 0 });
    const config = parseJobConfig(jobConfig());
    for (const row of await allRows(h, job.id)) expect(row.outputs).toEqual(expectedOutputs(config, row.inputs));
    expect(billed(h)).toBe(200);
    const rowCosts = (await allRows(h, job.id)).reduce((s, r) => s + r.costUsd, 0);
    expect(end.counts.spentUsd).toBeCloseTo(rowCosts, 9);
    expect(end.counts.spentUsd).toBeGreaterThan(0);
    expect(end.counts.reservedUsd).toBe(0);
    expect(end.etaMs).toBeNull();
  });

  it('pauses at the budget with spent + reserved never above it, and resumes to the end with a raised budget', async () => {
    h = await startHarness({ standIn: { latencyMs: 5 } });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('test:budget'), config: jobConfig({ budgetUsd: 0.004, workers: 4 }), rows: brandRows(60) });
    const paused = await h.settle(job.id);
    expect(paused.job.status).toBe('paused');
    expect(paused.job.pauseReason).toBe('budget');
    expect(paused.counts.spentUsd + paused.counts.reservedUsd).toBeLessThanOrEqual(0.004);
    expect(paused.counts.done).toBeGreaterThan(0);
    expect(paused.counts.done).toBeLessThan(60);

    await h.engine.resume(job.id, { budgetUsd: 1 });
    const done = await h.settle(job.id);
    expect(done.job.status).toBe('completed');
    expect(done.counts.done).toBe(60);
    expect(billed(h)).toBe(60);
  });

  it('refuses to raise a budget to less than what is already spent', async () => {
    h = await startHarness({ standIn: { latencyMs: 5 } });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('test:b2'), config: jobConfig({ budgetUsd: 0.004, workers: 2 }), rows: brandRows(40) });
    const paused = await h.settle(job.id);
    await expect(h.engine.resume(job.id, { budgetUsd: paused.counts.spentUsd / 2 })).rejects.toThrow('must be more than');
  });

  it('refuses a budget for a model without a known price, with a message on the model field that says what to do', async () => {
    h = await startHarness();
    await expect(h.engine.startJob({ owner: 't', target: testTarget('x'), config: jobConfig({ model: 'my-finetune' }), rows: brandRows(1) })).rejects.toMatchObject({
      code: 'invalid_config',
      message: 'model: no price is known for "my-finetune"; pick a listed model or enter its price per 1M tokens',
    });
  });

  it('fails fast at start when the model does not exist', async () => {
    h = await startHarness();
    await expect(h.engine.startJob({ owner: 't', target: testTarget('x'), config: jobConfig({ model: 'gpt-4.1-mini-2099-01-01' }), rows: brandRows(1) })).rejects.toThrow(
      /not available/,
    );
    expect(await h.store.listJobs()).toHaveLength(0);
  });

  it('skips rows unchanged since their last success, and serves identical inputs from the cache in another sheet', async () => {
    h = await startHarness();
    const first = await h.engine.startJob({ owner: 't', target: testTarget('sheet:1'), config: jobConfig(), rows: brandRows(30) });
    await h.settle(first.id);
    const again = await h.engine.startJob({ owner: 't', target: testTarget('sheet:1'), config: jobConfig(), rows: brandRows(30) });
    const skipped = await h.settle(again.id);
    expect(skipped.counts).toMatchObject({ skipped: 30, done: 0 });
    const rows = await allRows(h, again.id);
    expect(rows[0]!.outputs).toEqual(expectedOutputs(parseJobConfig(jobConfig()), rows[0]!.inputs));

    const elsewhere = await h.engine.startJob({ owner: 't', target: testTarget('sheet:2'), config: jobConfig(), rows: brandRows(30) });
    const cached = await h.settle(elsewhere.id);
    expect(cached.counts).toMatchObject({ done: 30, cached: 30, spentUsd: 0 });
    expect(billed(h)).toBe(30);
  });

  it('recomputes unchanged rows when forced', async () => {
    h = await startHarness();
    const first = await h.engine.startJob({ owner: 't', target: testTarget('sheet:f'), config: jobConfig(), rows: brandRows(5) });
    await h.settle(first.id);
    const forced = await h.engine.startJob({ owner: 't', target: testTarget('sheet:f'), config: jobConfig({ force: true }), rows: brandRows(5) });
    const end = await h.settle(forced.id);
    expect(end.counts).toMatchObject({ done: 5, cached: 0, skipped: 0 });
    expect(billed(h)).toBe(10);
  });

  it('fails rows with empty inputs alone and finishes the rest', async () => {
    h = await startHarness();
    const rows = [...brandRows(3), { rowId: 'empty', rowNumber: 99, inputs: { Brand: '', Country: ' ' } }];
    const job = await h.engine.startJob({ owner: 't', target: testTarget('s'), config: jobConfig(), rows });
    const end = await h.settle(job.id);
    expect(end.job.status).toBe('completed');
    expect(end.counts).toMatchObject({ done: 3, failed: 1, errorsByClass: { input_invalid: 1 } });
  });

  it('stops calling the model once cancel returns, and cancels the queued rows', async () => {
    h = await startHarness({ standIn: { latencyMs: 50 } });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('s'), config: jobConfig({ workers: 4 }), rows: brandRows(400) });
    while ((await h.engine.status(job.id)).counts.done < 10) await new Promise((r) => setTimeout(r, 20));
    const cancelled = await h.engine.cancel(job.id);
    expect(cancelled.status).toBe('cancelled');
    const startedAtCancel = h.standIn.requestLog.length;
    const end = await h.settle(job.id);
    await new Promise((r) => setTimeout(r, 300));
    // Requests already on the wire when cancel returned may still land in the log; no new one may start.
    expect(h.standIn.requestLog.length).toBeLessThanOrEqual(startedAtCancel + 4);
    expect(end.counts.cancelled).toBeGreaterThan(300);
    expect(end.counts.queued).toBe(0);
  });

  it('re-runs only the failed rows of a job', async () => {
    h = await startHarness({ standIn: { faults: { contentFilter: 0.2 } } });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('s'), config: jobConfig(), rows: brandRows(40) });
    const first = await h.settle(job.id);
    expect(first.counts.failed).toBeGreaterThan(0);
    expect(first.counts.errorsByClass.content_filter).toBe(first.counts.failed);
    const billedBefore = billed(h);
    h.standIn.configure({ faults: { contentFilter: 0 } });
    const { requeued } = await h.engine.retryFailed(job.id);
    expect(requeued).toBe(first.counts.failed);
    const end = await h.settle(job.id);
    expect(end.counts).toMatchObject({ done: 40, failed: 0 });
    expect(billed(h) - billedBefore).toBe(requeued);
  });

  it('streams progress with counts, spend and a rate until the job settles', async () => {
    h = await startHarness({ standIn: { latencyMs: 10 } });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('s'), config: jobConfig(), rows: brandRows(100) });
    const seen = [];
    for await (const p of h.engine.progress(job.id, { intervalMs: 50 })) seen.push(p);
    const last = seen.at(-1)!;
    expect(last.settled).toBe(true);
    expect(last.counts.done).toBe(100);
    expect(seen.some((p) => p.rowsPerMinute > 0)).toBe(true);
  });
});
