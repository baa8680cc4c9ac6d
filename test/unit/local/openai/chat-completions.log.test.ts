// The request log's billing semantics: billed iff a 200 completion with usage was produced, even for a client that left.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { simulateCompletion } from '../../../../local/openai/simulate.js';
import { rowRequest, sdkFor } from './fixtures.js';

let standIn: OpenAiStandIn;
beforeAll(async () => {
  standIn = await startOpenAiStandIn();
});
afterAll(() => standIn.close());
beforeEach(() => {
  standIn.resetLog();
  standIn.configure({ latencyMs: 0, jitterMs: 0, logLimit: 1_000_000 });
});

describe('request log', () => {
  it('records model, row, usage and billing for each completion', async () => {
    const request = rowRequest({ Brand: 'Acme' }, { model: 'gpt-4o-mini' });
    await sdkFor(standIn).chat.completions.create(request);
    const expected = simulateCompletion(request);
    expect(standIn.requestLog).toEqual([
      {
        seq: 1,
        at: expect.any(Number) as unknown,
        model: 'gpt-4o-mini',
        status: 200,
        fault: null,
        latencyMs: 0,
        promptTokens: expected.promptTokens,
        completionTokens: expected.completionTokens,
        billed: true,
        rowKey: '{"Brand":"Acme"}',
      },
    ]);
  });

  it('lets a test count calls per row', async () => {
    const client = sdkFor(standIn);
    for (const brand of ['Acme', 'Globex', 'Acme']) await client.chat.completions.create(rowRequest({ Brand: brand }));
    const calls = new Map<string | null, number>();
    for (const entry of standIn.requestLog) calls.set(entry.rowKey, (calls.get(entry.rowKey) ?? 0) + 1);
    expect(calls.get('{"Brand":"Acme"}')).toBe(2);
    expect(calls.get('{"Brand":"Globex"}')).toBe(1);
  });

  it('bills a completion whose client aborted before it was answered', async () => {
    standIn.configure({ latencyMs: 300 });
    await expect(sdkFor(standIn).chat.completions.create(rowRequest({ Brand: 'Acme' }), { signal: AbortSignal.timeout(20) })).rejects.toThrow();
    await expect.poll(() => standIn.requestLog[0], { timeout: 5000 }).toMatchObject({ status: 200, billed: true, latencyMs: 300 });
  });

  it('keeps no more than logLimit entries', async () => {
    standIn.configure({ logLimit: 2 });
    const client = sdkFor(standIn);
    for (const brand of ['A', 'B', 'C']) await client.chat.completions.create(rowRequest({ Brand: brand }));
    expect(standIn.requestLog.map((e) => e.rowKey)).toEqual(['{"Brand":"B"}', '{"Brand":"C"}']);
  });
});
