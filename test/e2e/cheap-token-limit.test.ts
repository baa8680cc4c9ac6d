// Cheap mode's enqueued-token limit is the account's, per model: every cheap job on the model shares it, and a batch
// the provider refuses for it (token_limit_exceeded) waits for room instead of failing its rows.
import OpenAI, { toFile } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { brandRows, expectedOutputs, jobConfig, testTarget } from '../helpers/embedded-harness.js';
import { standInBill, startCheapHarness, type CheapHarness } from '../helpers/cheap-harness.js';
import { batchPrice, costOf } from '../../backend/src/engine/pricing.js';
import { DEFAULT_PRICES, priceFor } from '../../backend/src/kernel/models.js';
import type { BatchRecord } from '../../backend/src/ports/batch-store.js';

let h: CheapHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

/** Prompt tokens Rowfill has waiting at the provider over every job: batches being sent, or sent and not ended. */
function enqueued(open: readonly BatchRecord[]): number {
  return open.filter((b) => b.providerStatus === null || !TERMINAL.has(b.providerStatus)).reduce((sum, b) => sum + b.tokens, 0);
}

describe('cheap mode: the enqueued-token limit across jobs', () => {
  it('two cheap jobs on one model never have more than the limit waiting at once, and both finish every row', async () => {
    // Rows of ~155 prompt tokens in batches of at most 20 (~3,100 tokens): the limit holds two batches and a part,
    // the two jobs' 600 rows about 30 batches, so each job's batches wait for the other's to end.
    const limit = 8_000;
    h = await startCheapHarness({ standIn: { batchEnqueuedTokenLimit: limit, batchDelayMs: 300 }, cheap: { enqueuedTokenLimit: limit, maxRowsPerBatch: 20 } });
    const harness = h;
    const config = jobConfig({ mode: 'cheap', budgetUsd: 20 });
    const jobs = await Promise.all(
      [0, 1].map((k) => harness.engine.startJob({ owner: 'test', target: testTarget(`cheap-shared-limit-${k}`), config, rows: brandRows(300, k * 1000) })),
    );
    // What Rowfill's records say is waiting, sampled while the jobs run.
    let most = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        most = Math.max(most, enqueued(await harness.batches.listOpenBatches()));
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const results = await Promise.all(jobs.map((job) => harness.rest(job.id, 120_000)));
    sampling = false;
    await sampler;

    for (const [k, result] of results.entries()) {
      expect(result.status).toBe('completed');
      expect(result.counts).toMatchObject({ done: 300, failed: 0 });
      const stored = await harness.store.listRows({ jobId: jobs[k]!.id, limit: 301 });
      for (const row of stored) expect(row.outputs).toEqual(expectedOutputs(config, row.inputs));
    }
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(limit);
    // The provider saw the same: never past its limit, and no batch refused.
    expect(harness.standIn.batchTokens(config.model)).toMatchObject({ enqueued: 0, refused: 0 });
    expect(harness.standIn.batchTokens(config.model).peak).toBeLessThanOrEqual(limit);
    // Both jobs had batches at the provider at the same time: they shared the limit, not took turns by chance.
    const [first, second] = await Promise.all(jobs.map((job) => harness.batches.listBatches(job.id)));
    expect(first!.length).toBeGreaterThan(1);
    expect(second!.length).toBeGreaterThan(1);
    expect(first!.some((a) => second!.some((b) => a.createdAt < b.updatedAt && b.createdAt < a.updatedAt))).toBe(true);
    const spent = results.reduce((sum, r) => sum + r.counts.spentUsd, 0);
    expect(spent).toBeCloseTo(standInBill(harness.standIn, config.model).usd, 6);
  }, 150_000);

  it('puts the rows of a batch the provider refused for the token limit back in the queue, and sends them once there is room', async () => {
    // Another application on the account has a batch of about half the limit waiting: Rowfill cannot see it, so its
    // first file (sized to the whole limit) is refused as OpenAI refuses it, and goes again once the other one ends.
    const limit = 6_000;
    h = await startCheapHarness({ standIn: { batchEnqueuedTokenLimit: limit, batchDelayMs: 1500 }, cheap: { enqueuedTokenLimit: limit } });
    const openai = new OpenAI({ apiKey: 'sk-test', baseURL: h.standIn.url });
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ custom_id: `other-${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'x'.repeat(300) }] } }),
    );
    const file = await openai.files.create({ file: await toFile(Buffer.from(`${lines.join('\n')}\n`), 'other.jsonl'), purpose: 'batch' });
    const other = await openai.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    while ((await openai.batches.retrieve(other.id)).status === 'validating') await new Promise((r) => setTimeout(r, 10));

    const config = jobConfig({ mode: 'cheap', budgetUsd: 5 });
    const job = await h.engine.startJob({ owner: 'test', target: testTarget('cheap-refused-for-tokens'), config, rows: brandRows(120) });
    const { status, counts } = await h.rest(job.id, 60_000);
    expect(status).toBe('completed');
    expect(counts).toMatchObject({ done: 120, failed: 0 });
    expect(counts.errorsByClass.invalid_request ?? 0).toBe(0);
    // A refusal costs the rows no attempt.
    expect(counts.retriesByClass).toEqual({});
    expect(h.standIn.batchTokens(config.model).refused).toBeGreaterThan(0);
    const records = await h.batches.listBatches(job.id);
    const refused = records.filter((r) => r.providerStatus === 'failed');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.message).toMatch(/Enqueued token limit reached/);
    // The bill for the job's rows: everything the stand-in billed but the other application's batch.
    const bill = standInBill(h.standIn, config.model);
    const othersUsd = h.standIn.requestLog.filter((e) => e.billed && e.batchId === other.id).reduce((sum, e) => sum + costOf({ inputTokens: e.promptTokens, cachedInputTokens: 0, outputTokens: e.completionTokens }, batchPrice(priceFor(config.model, DEFAULT_PRICES)!)), 0);
    expect(bill.batchRequests).toBe(120 + 40);
    expect(counts.spentUsd).toBeCloseTo(bill.usd - othersUsd, 6);
  }, 90_000);

  it('fails a row whose prompt alone is more than the limit allows, unbilled, sending it in no batch', async () => {
    // ~155 prompt tokens a row against a 100-token limit: no batch could ever hold one, the provider would refuse each.
    h = await startCheapHarness({ standIn: { batchEnqueuedTokenLimit: 100 }, cheap: { enqueuedTokenLimit: 100 } });
    const config = jobConfig({ mode: 'cheap', budgetUsd: 5 });
    const job = await h.engine.startJob({ owner: 'test', target: testTarget('cheap-row-over-limit'), config, rows: brandRows(5) });
    const { status, counts } = await h.rest(job.id);
    expect(status).toBe('completed');
    expect(counts).toMatchObject({ failed: 5, done: 0, spentUsd: 0 });
    expect(counts.errorsByClass.invalid_request).toBe(5);
    expect((await h.store.getRow(job.id, 'r0'))?.errorMessage).toMatch(/^This row's prompt \(about \d+ tokens\) is more than gpt-4\.1-mini batches may hold at once \(97 tokens/);
    expect(await h.batches.listBatches(job.id)).toEqual([]);
    expect(h.standIn.batchTokens(config.model)).toMatchObject({ peak: 0, refused: 0 });
  }, 30_000);
});
