// Cheap mode end to end on SQLite: rows go to the stand-in's Batch API and come back on their own rows, billed at batch prices.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileResults } from '../../backend/src/cli/file-job.js';
import { brandRows, expectedOutputs, jobConfig, testTarget } from '../helpers/embedded-harness.js';
import { standInBill, startCheapHarness, type CheapHarness } from '../helpers/cheap-harness.js';

let h: CheapHarness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function providerBatches(harness: CheapHarness, jobId: string): Promise<Array<{ id: string; input_file_id: string; status: string }>> {
  const openai = new OpenAI({ apiKey: 'sk-test', baseURL: harness.standIn.url });
  const all: Array<{ id: string; input_file_id: string; status: string; metadata: unknown }> = [];
  for await (const b of openai.batches.list({ limit: 100 })) all.push(b as never);
  return all.filter((b) => (b.metadata as Record<string, string> | null)?.rowfill_job === jobId);
}

describe('cheap mode (SQLite, Batch API stand-in)', () => {
  it('fills 5,000 rows through several batches: every row done with its own answer, the bill equals the spend, at batch prices', async () => {
    // 5,000 rows of ~80 prompt tokens against a 150,000-token enqueued limit: several files, each submitted as the last ends.
    h = await startCheapHarness({ cheap: { enqueuedTokenLimit: 150_000 } });
    const config = jobConfig({ mode: 'cheap', budgetUsd: 20 });
    const rows = brandRows(5000);
    // A real CSV as the job's file target (row k is on line k + 2, as brandRows numbers it), written back as the CLI does.
    const dir = mkdtempSync(join(tmpdir(), 'rowfill-cheap-5000-'));
    dirs.push(dir);
    const source = join(dir, 'brands.csv');
    writeFileSync(source, stringify([['Brand', 'Country'], ...rows.map((r) => [r.inputs.Brand, r.inputs.Country])]));
    const target = { kind: 'file' as const, source, out: join(dir, 'brands.enriched.csv') };
    const job = await h.engine.startJob({ owner: 'test', target, config, rows });
    const { status, counts } = await h.rest(job.id, 120_000);
    expect(status).toBe('completed');
    expect(counts.done).toBe(5000);
    expect(counts.reservedUsd).toBe(0);
    // Each answer on its own row: the stand-in's answer is a function of the row's inputs.
    const stored = await h.store.listRows({ jobId: job.id, limit: 5001 });
    expect(stored).toHaveLength(5000);
    for (const row of stored) expect(row.outputs).toEqual(expectedOutputs(config, row.inputs));
    // And in the written file: every line keeps its own inputs and carries the answer to them, done.
    await writeFileResults(h.store, await h.engine.job(job.id));
    const written = parse<Record<string, string>>(readFileSync(target.out, 'utf8'), { columns: true });
    expect(written).toHaveLength(5000);
    for (const [k, line] of written.entries()) {
      const inputs = rows[k]!.inputs;
      expect({ Brand: line.Brand, Country: line.Country }).toEqual(inputs);
      const expected = expectedOutputs(config, inputs);
      for (const output of config.outputs) expect(line[output.name], `line ${k + 2}, ${output.name}`).toBe(String(expected[output.name]));
      expect(line.rowfill_status).toBe('done');
    }
    const bill = standInBill(h.standIn, config.model);
    expect(bill.batchRequests).toBe(5000);
    expect(bill.fastRequests).toBe(0);
    expect(counts.spentUsd).toBeCloseTo(bill.usd, 6);
    const batches = await providerBatches(h, job.id);
    expect(batches.length).toBeGreaterThan(1);
    expect(new Set(batches.map((b) => b.input_file_id)).size).toBe(batches.length);
    const records = await h.batches.listBatches(job.id);
    expect(records.map((r) => r.phase)).toEqual(records.map(() => 'applied'));
    expect(records.reduce((n, r) => n + r.rowCount, 0)).toBe(5000);
  }, 180_000);

  it('sends rows whose request failed (10% server errors) in the next batch until they are answered', async () => {
    h = await startCheapHarness({ standIn: { batchErrorRate: 0.1, seed: 5 } });
    const config = jobConfig({ mode: 'cheap', budgetUsd: 5 });
    const job = await h.engine.startJob({ owner: 'test', target: testTarget('cheap-errors'), config, rows: brandRows(300) });
    const { status, counts } = await h.rest(job.id);
    expect(status).toBe('completed');
    expect(counts.done).toBe(300);
    expect(counts.retriesByClass.server ?? 0).toBeGreaterThan(0);
    expect((await h.batches.listBatches(job.id)).length).toBeGreaterThan(1);
    expect(counts.spentUsd).toBeCloseTo(standInBill(h.standIn, config.model).usd, 6);
  }, 60_000);

  it('puts the rows an expired batch did not answer back in the queue, and they finish in later batches', async () => {
    h = await startCheapHarness({ standIn: { batchExpireFraction: 0.5 } });
    const config = jobConfig({ mode: 'cheap', budgetUsd: 5 });
    const job = await h.engine.startJob({ owner: 'test', target: testTarget('cheap-expired'), config, rows: brandRows(200) });
    // Every batch expires half answered: the first answers 100, the second 50 of the rest...; then let the rest through.
    for (;;) {
      const records = await h.batches.listBatches(job.id);
      if (records.some((r) => r.phase === 'applied' && r.providerStatus === 'expired')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const afterFirst = await h.engine.counts(job.id);
    expect(afterFirst.done).toBe(100);
    h.standIn.configure({ batchExpireFraction: null });
    const { status, counts } = await h.rest(job.id);
    expect(status).toBe('completed');
    expect(counts.done).toBe(200);
    expect(standInBill(h.standIn, config.model).batchRequests).toBe(200);
    expect(counts.spentUsd).toBeCloseTo(standInBill(h.standIn, config.model).usd, 6);
  }, 60_000);

  it('repairs an answer that does not match the columns with one fast request, billed at the full price', async () => {
    // A fifth of the answers (batch and fast alike) do not match the schema: most rows are repaired, a few fail.
    h = await startCheapHarness({ standIn: { faults: { invalidOutput: 0.2 }, seed: 3 } });
    const config = jobConfig({ mode: 'cheap', budgetUsd: 5 });
    const job = await h.engine.startJob({ owner: 'test', target: testTarget('cheap-repair'), config, rows: brandRows(200) });
    const { counts } = await h.rest(job.id);
    const bill = standInBill(h.standIn, config.model);
    expect(bill.batchRequests).toBe(200);
    expect(bill.fastRequests).toBeGreaterThan(10);
    expect(counts.done + counts.failed).toBe(200);
    expect(counts.errorsByClass.output_invalid ?? 0).toBe(counts.failed);
    expect(counts.done).toBeGreaterThan(200 - bill.fastRequests);
    expect(counts.spentUsd).toBeCloseTo(bill.usd, 6);
  }, 60_000);

  it('makes each repair wait for the rate limiter as a fast repair does: no repair meets a 429', async () => {
    // A third of the batch answers are invalid: ~60 repairs against 300 chat requests a minute (a burst of 5).
    h = await startCheapHarness({ standIn: { faults: { invalidOutput: 0.3 }, seed: 7, rpm: 300 } });
    const config = jobConfig({ mode: 'cheap', budgetUsd: 5 });
    const job = await h.engine.startJob({ owner: 'test', target: testTarget('cheap-repair-rate'), config, rows: brandRows(200) });
    const { counts } = await h.rest(job.id, 90_000);
    const chat = h.standIn.requestLog.filter((e) => e.batchId === undefined);
    expect(chat.length).toBeGreaterThan(30);
    expect(chat.filter((e) => e.status === 429)).toHaveLength(0);
    expect(counts.retriesByClass.rate_limit ?? 0).toBe(0);
    expect(counts.done + counts.failed).toBe(200);
    expect(counts.spentUsd).toBeCloseTo(standInBill(h.standIn, config.model).usd, 6);
  }, 120_000);

  it('fills rows an earlier job already answered from the cache, sending them in no batch', async () => {
    h = await startCheapHarness();
    const config = jobConfig({ mode: 'cheap', budgetUsd: 5 });
    const first = await h.engine.startJob({ owner: 'test', target: testTarget('cheap-cache-1'), config, rows: brandRows(50) });
    expect((await h.rest(first.id)).counts.done).toBe(50);
    const second = await h.engine.startJob({ owner: 'test', target: testTarget('cheap-cache-2'), config, rows: brandRows(60) });
    const { status, counts } = await h.rest(second.id);
    expect(status).toBe('completed');
    expect(counts).toMatchObject({ done: 60, cached: 50 });
    expect(standInBill(h.standIn, config.model).batchRequests).toBe(60);
    const records = await h.batches.listBatches(second.id);
    expect(records.reduce((n, r) => n + r.rowCount, 0)).toBe(10);
  }, 60_000);

  it('fails the rows of a batch the provider refuses, with its reason, and re-runs them when asked', async () => {
    // The stand-in refuses a file of more than 10 requests at validation, as OpenAI refuses one over its limits.
    h = await startCheapHarness({ standIn: { batchMaxRequests: 10 } });
    const config = jobConfig({ mode: 'cheap', budgetUsd: 5 });
    const job = await h.engine.startJob({ owner: 'test', target: testTarget('cheap-refused'), config, rows: brandRows(30) });
    const { counts } = await h.rest(job.id);
    expect(counts.failed).toBe(30);
    expect(counts.errorsByClass.invalid_request).toBe(30);
    expect(counts.spentUsd).toBe(0);
    const row = await h.store.getRow(job.id, 'r0');
    expect(row?.errorMessage).toMatch(/^The provider refused the batch: /);
    const [record] = await h.batches.listBatches(job.id);
    expect(record).toMatchObject({ phase: 'applied', providerStatus: 'failed' });
    h.standIn.configure({ batchMaxRequests: 50_000 });
    await h.engine.retryFailed(job.id);
    const again = await h.rest(job.id);
    expect(again.status).toBe('completed');
    expect(again.counts.done).toBe(30);
  }, 60_000);

  it('cancels the open batch when the job is cancelled: answered rows keep their results, the rest are cancelled, nothing stays in a batch', async () => {
    h = await startCheapHarness({ standIn: { batchDelayMs: 4000 } });
    const config = jobConfig({ mode: 'cheap', budgetUsd: 5 });
    const job = await h.engine.startJob({ owner: 'test', target: testTarget('cheap-cancel'), config, rows: brandRows(400) });
    for (;;) {
      const [record] = await h.batches.listBatches(job.id);
      if (record?.providerStatus === 'in_progress') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 1000));
    await h.engine.cancel(job.id);
    const { status, counts } = await h.rest(job.id);
    expect(status).toBe('cancelled');
    expect(counts.running).toBe(0);
    expect(counts.queued).toBe(0);
    expect(counts.cancelled).toBeGreaterThan(0);
    expect(counts.done + counts.cancelled).toBe(400);
    const [batch] = await providerBatches(h, job.id);
    expect(batch?.status).toBe('cancelled');
    expect(counts.spentUsd).toBeCloseTo(standInBill(h.standIn, config.model).usd, 6);
    expect(standInBill(h.standIn, config.model).batchRequests).toBe(counts.done);
  }, 60_000);

  it('never reserves past the budget: with a budget for about half the rows it spends up to the last row that fits, then pauses', async () => {
    h = await startCheapHarness();
    // 100 rows cost ~$0.0052 at batch prices; a row reserves ~$0.0012 (a full-length answer plus a fast repair).
    const budget = 0.0026;
    const config = jobConfig({ mode: 'cheap', budgetUsd: budget });
    const job = await h.engine.startJob({ owner: 'test', target: testTarget('cheap-budget'), config, rows: brandRows(100) });
    const { status, counts } = await h.rest(job.id);
    expect(status).toBe('paused');
    expect((await h.engine.job(job.id)).pauseReason).toBe('budget');
    const records = await h.batches.listBatches(job.id);
    const perRow = records[0]!.reservedUsd / records[0]!.rowCount;
    expect(records.every((r) => r.reservedUsd <= budget)).toBe(true);
    expect(counts.done).toBeGreaterThan(10);
    expect(counts.done).toBeLessThan(100);
    expect(counts.spentUsd).toBeLessThanOrEqual(budget);
    // It stopped because the next row's worst case no longer fit, not before.
    expect(budget - counts.spentUsd).toBeLessThan(perRow);
    expect(counts.spentUsd).toBeCloseTo(standInBill(h.standIn, config.model).usd, 6);
    expect(counts.queued).toBe(100 - counts.done);
    // A raised budget lets the rest go, as in fast mode.
    await h.engine.resume(job.id, { budgetUsd: 0.05 });
    const resumed = await h.rest(job.id);
    expect(resumed.status).toBe('completed');
    expect(resumed.counts.done).toBe(100);
    expect(resumed.counts.spentUsd).toBeCloseTo(standInBill(h.standIn, config.model).usd, 6);
  }, 90_000);

  it('a provider that reports more tokens than reserved pauses a cheap job for budget, and a resume with a raised budget stays within it (spend ≤ budget by the stand-in\'s own billing)', async () => {
    // Every answer reports 5,000 completion tokens whatever the request's cap (~$0.004 a row at batch prices, where a
    // row reserved ~$0.0013 for its cap): the first batch was sent before anyone knew, so it overruns once (decision 26).
    h = await startCheapHarness({ standIn: { faults: { overUsage: 1 }, overUsageTokens: 5000 } });
    const config = jobConfig({ mode: 'cheap', budgetUsd: 0.01 });
    const job = await h.engine.startJob({ owner: 'test', target: testTarget('cheap-over-usage'), config, rows: brandRows(100) });
    const first = await h.rest(job.id);
    const paused = await h.engine.job(job.id);
    expect(first.status).toBe('paused');
    expect(paused.pauseReason).toBe('budget');
    expect(paused.message).toContain('5000 completion tokens');
    expect(paused.message).toContain(`capped at ${config.maxOutputTokens}`);
    const firstBatches = await h.batches.listBatches(job.id);
    expect(firstBatches).toHaveLength(1);
    expect(first.counts.spentUsd).toBeCloseTo(standInBill(h.standIn, config.model).usd, 6);
    expect(first.counts.reservedUsd).toBe(0);

    // Resumed with a raised budget: rows now reserve for the 5,000 tokens seen, so the cap holds from here on.
    const budget = 0.05;
    await h.engine.resume(job.id, { budgetUsd: budget });
    const second = await h.rest(job.id);
    expect(second.status).toBe('paused');
    expect((await h.engine.job(job.id)).pauseReason).toBe('budget');
    expect((await h.engine.job(job.id)).message).toContain('budget is used up');
    expect(second.counts.done).toBeGreaterThan(first.counts.done);
    expect(second.counts.reservedUsd).toBe(0);
    const bill = standInBill(h.standIn, config.model);
    expect(bill.usd).toBeLessThanOrEqual(budget);
    expect(second.counts.spentUsd).toBeCloseTo(bill.usd, 6);
    const later = (await h.batches.listBatches(job.id)).slice(1);
    expect(later.length).toBeGreaterThan(0);
    // Each later batch reserved a row's worst case at the 5,000 tokens seen: more than the whole answer cost.
    for (const record of later) expect(record.reservedUsd / record.rowCount).toBeGreaterThan(0.004);
  }, 90_000);
});
