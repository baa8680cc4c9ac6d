// The OpenAI Batch adapter against the Batch API stand-in, through the real SDK: pack, upload, create, poll, results, recovery.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { batchLine } from '../../../../backend/src/adapters/openai-batch/batch-limits.js';
import { OpenAiBatchClient } from '../../../../backend/src/adapters/openai-batch/openai-batch-client.js';
import { AuthError, InvalidRequestError, ServerError } from '../../../../backend/src/kernel/errors.js';
import { DEFAULT_PRICES } from '../../../../backend/src/kernel/models.js';
import { batchPrice, costOf } from '../../../../backend/src/engine/pricing.js';
import { TERMINAL_BATCH_STATUSES, type BatchClient, type BatchInfo, type BatchRowResult } from '../../../../backend/src/ports/batch.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { simulateCompletion, type SimulatedRequest } from '../../../../local/openai/simulate.js';
import { collect, rowRequest, rowSource } from './fixtures.js';

let standIn: OpenAiStandIn;
let client: OpenAiBatchClient;
beforeAll(async () => {
  standIn = await startOpenAiStandIn({ batchDelayMs: 60 });
  client = new OpenAiBatchClient({ apiKey: 'sk-test', baseURL: standIn.url, simulated: true, maxRequestsPerFile: 10 });
});
afterAll(() => standIn.close());
beforeEach(() => {
  standIn.resetLog();
  standIn.configure({ batchDelayMs: 60, batchErrorRate: 0, batchExpireFraction: null });
});

async function settle(batchId: string): Promise<BatchInfo> {
  for (let i = 0; i < 500; i++) {
    const info = await client.retrieve(batchId);
    if (TERMINAL_BATCH_STATUSES.includes(info.status)) return info;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`batch ${batchId} did not finish`);
}

/** Packs `count` rows, uploads and submits every file; the submitted batches in order. */
async function submit(count: number, prefix: string, batch: BatchClient = client): Promise<BatchInfo[]> {
  const infos: BatchInfo[] = [];
  let part = 0;
  for await (const file of batch.pack(rowSource(count).rows, { filenamePrefix: prefix })) {
    const uploaded = await batch.upload(file);
    await file.dispose();
    infos.push(await batch.create(uploaded.fileId, { rowfill_job: prefix, part: String(part++) }));
  }
  return infos;
}

async function allResults(info: BatchInfo): Promise<BatchRowResult[]> {
  const output = info.outputFileId ? await collect(client.results(info.outputFileId)) : [];
  const errors = info.errorFileId ? await collect(client.results(info.errorFileId)) : [];
  return [...output, ...errors];
}

describe('OpenAiBatchClient', () => {
  it('runs 25 rows through three batches: every row answered as fast mode would be, spend equal to the stand-in billing at batch prices', async () => {
    const submitted = await submit(25, 'job-full');
    expect(submitted.map((b) => b.status)).toEqual(['validating', 'validating', 'validating']);
    const results: BatchRowResult[] = [];
    for (const batch of submitted) {
      const done = await settle(batch.id);
      expect(done).toMatchObject({ status: 'completed', metadata: { rowfill_job: 'job-full' } });
      results.push(...(await allResults(done)));
    }
    expect(results.map((r) => r.customId)).toEqual(Array.from({ length: 25 }, (_, i) => `row-${i}:1`));
    let spend = 0;
    const price = batchPrice(DEFAULT_PRICES['gpt-4.1-mini']!);
    for (const [i, result] of results.entries()) {
      const body = (JSON.parse(batchLine(rowRequest(i))) as { body: SimulatedRequest }).body;
      expect(result).toEqual({ kind: 'answer', customId: `row-${i}:1`, content: simulateCompletion(body).content, usage: expect.any(Object) as unknown, finishReason: 'stop' });
      if (result.kind === 'answer') spend += costOf(result.usage, price);
    }
    const billed = standIn.requestLog.filter((e) => e.billed && e.batchId !== undefined);
    expect(billed).toHaveLength(25);
    const standInBill = billed.reduce((sum, e) => sum + costOf({ inputTokens: e.promptTokens, cachedInputTokens: 0, outputTokens: e.completionTokens }, price), 0);
    expect(spend).toBeCloseTo(standInBill, 12);
    expect(spend).toBeGreaterThan(0);
  });

  it('classifies per-request errors through the one classification, and expired requests as unanswered', async () => {
    standIn.configure({ batchErrorRate: 0.5, batchExpireFraction: 0.5 });
    const [batch] = await submit(10, 'job-errors');
    const done = await settle(batch!.id);
    expect(done.status).toBe('expired');
    const results = await allResults(done);
    expect(results).toHaveLength(10);
    const unanswered = results.filter((r) => r.kind === 'unanswered');
    expect(unanswered).toHaveLength(5);
    for (const r of unanswered) expect(r).toMatchObject({ code: 'batch_expired' });
    const errors = results.filter((r) => r.kind === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const r of errors) {
      expect(r.error).toBeInstanceOf(ServerError);
      expect(r.error.errorClass).toBe('server');
      expect(r.usage).toEqual({ inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 });
    }
    expect(results.filter((r) => r.kind === 'answer').length + errors.length).toBe(5);
  });

  it('finds an uploaded file by name and a batch by metadata or input file after a crash, and cancels it', async () => {
    standIn.configure({ batchDelayMs: 5000 });
    const [batch] = await submit(3, 'job-crash');
    const file = await client.findUploadedFile('job-crash-0.jsonl');
    expect(file?.fileId).toBe(batch!.inputFileId);
    expect(await client.findUploadedFile('job-never-0.jsonl')).toBeNull();
    expect((await client.find({ metadata: { rowfill_job: 'job-crash', part: '0' } })).map((b) => b.id)).toEqual([batch!.id]);
    expect((await client.find({ inputFileId: batch!.inputFileId })).map((b) => b.id)).toEqual([batch!.id]);
    expect(await client.find({ metadata: { rowfill_job: 'job-other' } })).toEqual([]);
    const cancelling = await client.cancel(batch!.id);
    expect(cancelling.status).toBe('cancelling');
    standIn.configure({ batchDelayMs: 60 });
  });

  it('throws typed errors for an unknown batch, a refused key and an unreachable server', async () => {
    await expect(client.retrieve('batch_nope')).rejects.toBeInstanceOf(InvalidRequestError);
    const refused = new OpenAiBatchClient({ apiKey: 'sk-invalid', baseURL: standIn.url });
    await expect(refused.find({})).rejects.toBeInstanceOf(AuthError);
    const nowhere = new OpenAiBatchClient({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1' });
    await expect(nowhere.retrieve('batch_x')).rejects.toMatchObject({ errorClass: 'connection' });
  });

  it('validates its options with exact messages', () => {
    expect(() => new OpenAiBatchClient({ apiKey: '' })).toThrow('OpenAiBatchClient: apiKey must be a non-empty string (set OPENAI_API_KEY)');
    expect(() => new OpenAiBatchClient({ apiKey: 'k', maxRequestsPerFile: 50_001 })).toThrow('OpenAiBatchClient: maxRequestsPerFile must be an integer from 1 to 50000, got 50001');
    expect(() => new OpenAiBatchClient({ apiKey: 'k', maxBytesPerFile: 0 })).toThrow('OpenAiBatchClient: maxBytesPerFile must be an integer from 1 to 200000000, got 0');
    expect(new OpenAiBatchClient({ apiKey: 'k' }).limits).toEqual({ maxRequestsPerFile: 50_000, maxBytesPerFile: 200_000_000 });
  });
});
