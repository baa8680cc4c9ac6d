// The Batch API stand-in through the real SDK: upload, create, poll to the end, download the files, and its failures.
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { simulateCompletion } from '../../../../local/openai/simulate.js';
import { ROW_SCHEMA, rowRequest, sdkFor } from './fixtures.js';

let standIn: OpenAiStandIn;
let sdk: OpenAI;
beforeAll(async () => {
  standIn = await startOpenAiStandIn({ batchDelayMs: 100 });
  sdk = sdkFor(standIn);
});
afterAll(() => standIn.close());
beforeEach(() => {
  standIn.resetLog();
  standIn.configure({
    batchDelayMs: 100,
    batchErrorRate: 0,
    batchExpireFraction: null,
    batchMaxRequests: 50_000,
    batchMaxFileBytes: 200_000_000,
    batchEnqueuedTokenLimit: null,
    faults: { invalidOutput: 0, refusal: 0, error500: 0 },
  });
});

const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

function requestLines(count: number, prefix = 'row'): string[] {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ custom_id: `${prefix}-${i}`, method: 'POST', url: '/v1/chat/completions', body: rowRequest({ Brand: `Brand ${i}`, Website: `brand${i}.com` }) }),
  );
}

async function upload(lines: readonly string[], name = 'requests.jsonl'): Promise<OpenAI.FileObject> {
  return sdk.files.create({ file: await toFile(Buffer.from(`${lines.join('\n')}\n`), name), purpose: 'batch' });
}

/** Polls until the batch reaches a terminal state; bounded in count, so a stuck stand-in fails the test instead of hanging. */
async function settle(id: string): Promise<OpenAI.Batch> {
  for (let i = 0; i < 500; i++) {
    const batch = await sdk.batches.retrieve(id);
    if (TERMINAL.has(batch.status)) return batch;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`batch ${id} did not finish`);
}

/** A line of an output or error file, as OpenAI documents it. */
interface ResultLine {
  readonly id: string;
  readonly custom_id: string;
  readonly response: {
    readonly status_code: number;
    readonly request_id: string;
    readonly body: OpenAI.Chat.ChatCompletion & { readonly usage: OpenAI.CompletionUsage };
  } | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

async function jsonLines(fileId: string | null | undefined): Promise<ResultLine[]> {
  if (!fileId) return [];
  const text = await (await sdk.files.content(fileId)).text();
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as ResultLine);
}

describe('files', () => {
  it('stores an upload with purpose batch and gives its bytes back', async () => {
    const lines = requestLines(2);
    const file = await upload(lines);
    expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: 'requests.jsonl', bytes: Buffer.byteLength(`${lines.join('\n')}\n`) });
    expect(await (await sdk.files.content(file.id)).text()).toBe(`${lines.join('\n')}\n`);
    expect(await sdk.files.retrieve(file.id)).toMatchObject({ id: file.id });
    const listed = [];
    for await (const f of sdk.files.list({ purpose: 'batch' })) listed.push(f.id);
    expect(listed).toContain(file.id);
  });

  it('refuses a batch file over the size limit and one that is not .jsonl', async () => {
    standIn.configure({ batchMaxFileBytes: 1000 });
    const big = await upload(requestLines(10)).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(OpenAI.BadRequestError);
    expect(big).toMatchObject({ code: 'file_too_large' });
    const wrong = await upload(requestLines(1), 'requests.txt').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('answers 404 for an unknown file', async () => {
    await expect(sdk.files.content('file-nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('batches', () => {
  it('runs a batch to completed: every request answered as fast mode would, valid for its schema, billed', async () => {
    const file = await upload(requestLines(20));
    const created = await sdk.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { job: 'job-1', part: '0' } });
    expect(created).toMatchObject({ object: 'batch', status: 'validating', input_file_id: file.id, metadata: { job: 'job-1', part: '0' } });
    const seen = new Set<string>();
    let batch = created;
    while (!TERMINAL.has(batch.status)) {
      seen.add(batch.status);
      await new Promise((resolve) => setTimeout(resolve, 5));
      batch = await sdk.batches.retrieve(created.id);
    }
    expect(batch.status).toBe('completed');
    expect([...seen].every((s) => ['validating', 'in_progress', 'finalizing'].includes(s))).toBe(true);
    expect(batch.request_counts).toEqual({ total: 20, completed: 20, failed: 0 });
    expect(batch.error_file_id).toBeNull();
    const output = await jsonLines(batch.output_file_id);
    expect(output.map((l) => l.custom_id)).toEqual(Array.from({ length: 20 }, (_, i) => `row-${i}`));
    const schema = z.fromJSONSchema(ROW_SCHEMA as unknown as Record<string, unknown>);
    for (const [i, line] of output.entries()) {
      const expected = simulateCompletion(rowRequest({ Brand: `Brand ${i}`, Website: `brand${i}.com` }));
      expect(line.error).toBeNull();
      expect(line.response?.status_code).toBe(200);
      expect(line.response?.request_id).toMatch(/^req_/);
      const content = line.response?.body.choices[0]?.message.content ?? '';
      expect(content).toBe(expected.content);
      expect(schema.safeParse(JSON.parse(content)).success).toBe(true);
      expect(line.response?.body.usage).toMatchObject({ prompt_tokens: expected.promptTokens, completion_tokens: expected.completionTokens });
    }
    const billed = standIn.requestLog.filter((e) => e.batchId === created.id && e.billed);
    expect(billed).toHaveLength(20);
    const tokens = (entries: readonly { promptTokens: number; completionTokens: number }[]) => entries.reduce((sum, e) => sum + e.promptTokens + e.completionTokens, 0);
    expect(tokens(billed)).toBe(output.reduce((sum, l) => sum + (l.response?.body.usage.total_tokens ?? 0), 0));
    expect(batch.usage?.total_tokens).toBe(tokens(billed));
  });

  it('writes per-request errors to the error file and bills only the answers', async () => {
    standIn.configure({ batchErrorRate: 0.3 });
    const file = await upload(requestLines(40));
    const batch = await settle((await sdk.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' })).id);
    expect(batch.status).toBe('completed');
    const output = await jsonLines(batch.output_file_id);
    const errors = await jsonLines(batch.error_file_id);
    expect(errors.length).toBeGreaterThan(0);
    expect(output.length + errors.length).toBe(40);
    expect(batch.request_counts).toEqual({ total: 40, completed: output.length, failed: errors.length });
    for (const line of errors) expect(line.response).toMatchObject({ status_code: 500, body: { error: { type: 'server_error' } } });
    expect(new Set([...output, ...errors].map((l) => l.custom_id)).size).toBe(40);
    expect(standIn.requestLog.filter((e) => e.batchId === batch.id && e.billed)).toHaveLength(output.length);
  });

  it('expires with the configured fraction answered; the rest are batch_expired in the error file', async () => {
    standIn.configure({ batchExpireFraction: 0.5 });
    const file = await upload(requestLines(10));
    const batch = await settle((await sdk.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' })).id);
    expect(batch.status).toBe('expired');
    expect(batch.expired_at).not.toBeNull();
    const output = await jsonLines(batch.output_file_id);
    const errors = await jsonLines(batch.error_file_id);
    expect(output).toHaveLength(5);
    expect(errors).toHaveLength(5);
    for (const line of errors) expect(line).toMatchObject({ response: null, error: { code: 'batch_expired' } });
    expect(standIn.requestLog.filter((e) => e.batchId === batch.id && e.billed)).toHaveLength(5);
  });

  it('cancels mid-batch: answered requests in the output, the others batch_cancelled, nothing lost', async () => {
    standIn.configure({ batchDelayMs: 400 });
    const file = await upload(requestLines(30));
    const created = await sdk.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    let batch = created;
    while (batch.status === 'validating') batch = await sdk.batches.retrieve(created.id);
    const cancelling = await sdk.batches.cancel(created.id);
    expect(cancelling.status).toBe('cancelling');
    batch = await settle(created.id);
    expect(batch.status).toBe('cancelled');
    const output = await jsonLines(batch.output_file_id);
    const errors = await jsonLines(batch.error_file_id);
    expect(output.length + errors.length).toBe(30);
    for (const line of errors) expect(line.error).toMatchObject({ code: 'batch_cancelled' });
    expect(standIn.requestLog.filter((e) => e.batchId === batch.id && e.billed)).toHaveLength(output.length);
    await expect(sdk.batches.cancel(created.id)).rejects.toBeInstanceOf(OpenAI.ConflictError);
  });

  it('lists batches newest first across pages, metadata kept, so a client can find its batch after a crash', async () => {
    const file = await upload(requestLines(1));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const batch = await sdk.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { rowfill_job: 'job-list', part: String(i) } });
      ids.push(batch.id);
    }
    const found: Array<{ id: string; part: string | undefined }> = [];
    for await (const batch of sdk.batches.list({ limit: 2 })) {
      if (batch.metadata?.rowfill_job === 'job-list') found.push({ id: batch.id, part: batch.metadata.part });
    }
    expect(found).toEqual(ids.map((id, i) => ({ id, part: String(i) })).reverse());
  });

  it('fails validation like the real API: bad JSON, duplicate custom_id, wrong method or url, too many requests', async () => {
    const good = requestLines(2);
    const bad = [good[0]!, 'not json', good[0]!, JSON.stringify({ custom_id: 'x', method: 'GET', url: '/v1/chat/completions', body: {} }), JSON.stringify({ custom_id: 'y', method: 'POST', url: '/v1/embeddings', body: {} })];
    const file = await upload(bad);
    const batch = await settle((await sdk.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' })).id);
    expect(batch.status).toBe('failed');
    expect(batch.errors?.data?.map((e) => [e.code, e.line])).toEqual([
      ['invalid_json_line', 2],
      ['duplicate_custom_id', 3],
      ['invalid_method', 4],
      ['invalid_url', 5],
    ]);
    standIn.configure({ batchMaxRequests: 3 });
    const many = await settle((await sdk.batches.create({ input_file_id: (await upload(requestLines(4))).id, endpoint: '/v1/chat/completions', completion_window: '24h' })).id);
    expect(many.status).toBe('failed');
    expect(many.errors?.data?.[0]?.code).toBe('too_many_requests');
    expect(standIn.requestLog.filter((e) => (e.batchId === batch.id || e.batchId === many.id) && e.billed)).toHaveLength(0);
  });

  it('refuses an unknown input file, a non-batch file and bad metadata at create', async () => {
    await expect(sdk.batches.create({ input_file_id: 'file-nope', endpoint: '/v1/chat/completions', completion_window: '24h' })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const other = await sdk.files.create({ file: await toFile(Buffer.from('{}'), 'x.jsonl'), purpose: 'user_data' });
    await expect(sdk.batches.create({ input_file_id: other.id, endpoint: '/v1/chat/completions', completion_window: '24h' })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const file = await upload(requestLines(1));
    const metadata = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    await expect(sdk.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('answers an unknown model per request with 404 in the error file', async () => {
    const line = JSON.stringify({ custom_id: 'm', method: 'POST', url: '/v1/chat/completions', body: rowRequest({ Brand: 'A' }, { model: 'gpt-2' }) });
    const batch = await settle((await sdk.batches.create({ input_file_id: (await upload([line])).id, endpoint: '/v1/chat/completions', completion_window: '24h' })).id);
    const errors = await jsonLines(batch.error_file_id);
    expect(errors).toEqual([expect.objectContaining({ custom_id: 'm', response: expect.objectContaining({ status_code: 404 }) as unknown })]);
  });

  it('applies answer faults to batch answers too: invalid output is billed and breaks the schema, a refusal has no content', async () => {
    standIn.configure({ faults: { invalidOutput: 0.5, refusal: 0.5 } });
    const batch = await settle((await sdk.batches.create({ input_file_id: (await upload(requestLines(10))).id, endpoint: '/v1/chat/completions', completion_window: '24h' })).id);
    const output = await jsonLines(batch.output_file_id);
    expect(output).toHaveLength(10);
    const schema = z.fromJSONSchema(ROW_SCHEMA as unknown as Record<string, unknown>);
    for (const line of output) {
      const message = line.response?.body.choices[0]?.message;
      if (message?.refusal) expect(message.content).toBeNull();
      else expect(schema.safeParse(JSON.parse(message?.content ?? 'null')).success).toBe(false);
    }
    const faults = standIn.requestLog.filter((e) => e.batchId === batch.id).map((e) => e.fault);
    expect(new Set(faults)).toEqual(new Set(['invalidOutput', 'refusal']));
  });

  it('refuses a batch past the enqueued-token limit per model as OpenAI does: failed, token_limit_exceeded, nothing billed', async () => {
    // Each request's prompt tokens as the stand-in counts them (the same count its answers report).
    const perLine = simulateCompletion(rowRequest({ Brand: 'Brand 0', Website: 'brand0.com' })).promptTokens;
    standIn.configure({ batchDelayMs: 600, batchEnqueuedTokenLimit: perLine * 15 });
    const create = async (lines: readonly string[]) => sdk.batches.create({ input_file_id: (await upload(lines)).id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const first = await create(requestLines(10, 'a'));
    // The first is accepted at validation; a second of the same model would take the total past the limit.
    while ((await sdk.batches.retrieve(first.id)).status === 'validating') await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await settle((await create(requestLines(10, 'b'))).id);
    expect(second.status).toBe('failed');
    expect(second.errors?.data).toEqual([
      expect.objectContaining({ code: 'token_limit_exceeded', message: expect.stringContaining(`Enqueued token limit reached for gpt-4.1-mini`) as unknown, line: null }),
    ]);
    expect(second.errors?.data?.[0]?.message).toContain(`Limit: ${perLine * 15} enqueued tokens`);
    // Another model has its own limit; a batch that fits beside the first is accepted.
    const otherModel = JSON.stringify({ custom_id: 'o', method: 'POST', url: '/v1/chat/completions', body: rowRequest({ Brand: 'Brand 0', Website: 'brand0.com' }, { model: 'gpt-4.1-nano' }) });
    const fits = await create(requestLines(5, 'c'));
    expect((await settle((await create([otherModel])).id)).status).toBe('completed');
    expect((await settle(fits.id)).status).toBe('completed');
    expect((await settle(first.id)).status).toBe('completed');
    // Once the first has ended, its tokens are free again.
    expect((await settle((await create(requestLines(10, 'd'))).id)).status).toBe('completed');
    expect(standIn.requestLog.filter((e) => e.batchId === second.id)).toHaveLength(0);
    expect(standIn.batchTokens('gpt-4.1-mini')).toEqual({ enqueued: 0, peak: perLine * 15, refused: 1 });
    expect(standIn.batchTokens('gpt-4.1-nano')).toEqual({ enqueued: 0, peak: perLine, refused: 0 });
  });
});
