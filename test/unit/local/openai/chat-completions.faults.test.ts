// Each injected fault, as the real SDK (retries off) sees it, and what the request log says about it.
import OpenAI, { type APIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FaultKind } from '../../../../local/openai/faults.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { ROW_SCHEMA, rowRequest, sdkFor } from './fixtures.js';

let standIn: OpenAiStandIn;
beforeAll(async () => {
  standIn = await startOpenAiStandIn();
});
afterAll(() => standIn.close());
beforeEach(() => standIn.resetLog());

function only(fault: FaultKind, extra: Parameters<OpenAiStandIn['configure']>[0] = {}): void {
  standIn.configure({ faults: { [fault]: 1 }, ...extra });
}
const reset = () => standIn.configure({ faults: Object.fromEntries(Object.keys(standIn.settings.faults).map((k) => [k, 0])), hangMs: 600_000 });
const ask = (signal?: AbortSignal) => sdkFor(standIn).chat.completions.create(rowRequest({ Brand: 'Acme' }), { signal }).withResponse();
const failure = (signal?: AbortSignal) => ask(signal).then(() => null, (e: unknown) => e);

describe('faults', () => {
  beforeEach(reset);

  it('error500 answers 500 server_error, not billed', async () => {
    only('error500');
    const error = await failure();
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 500, code: 'server_error' });
    expect(standIn.requestLog[0]).toMatchObject({ fault: 'error500', status: 500, billed: false });
  });

  it('hang never answers, so the client gives up by aborting; not billed', async () => {
    only('hang');
    expect(await failure(AbortSignal.timeout(100))).toBeInstanceOf(OpenAI.APIUserAbortError);
    expect(standIn.requestLog[0]).toMatchObject({ fault: 'hang', status: null, billed: false });
  });

  it('hang drops the connection after hangMs when the client waits', async () => {
    only('hang', { hangMs: 20 });
    expect(await failure()).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('malformed answers 200 with content that is not JSON, billed', async () => {
    only('malformed');
    const { data } = await ask();
    expect(() => JSON.parse(data.choices[0]!.message.content!) as unknown).toThrow();
    expect(standIn.requestLog[0]).toMatchObject({ fault: 'malformed', status: 200, billed: true });
  });

  it('invalidOutput answers 200 with JSON that breaks the schema, billed', async () => {
    only('invalidOutput');
    const { data } = await ask();
    const parsed = JSON.parse(data.choices[0]!.message.content!) as unknown;
    expect(z.fromJSONSchema(ROW_SCHEMA as unknown as Record<string, unknown>).safeParse(parsed).success).toBe(false);
    expect(standIn.requestLog[0]).toMatchObject({ fault: 'invalidOutput', billed: true });
  });

  it('insufficientQuota answers 429 insufficient_quota without retry-after', async () => {
    only('insufficientQuota');
    const error = await failure();
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'insufficient_quota', type: 'insufficient_quota' });
    expect((error as APIError).headers?.get('retry-after')).toBeNull();
    expect(standIn.requestLog[0]).toMatchObject({ fault: 'insufficientQuota', status: 429, billed: false });
  });

  it('rateLimit answers a spurious 429 rate_limit_exceeded with retry-after', async () => {
    only('rateLimit');
    const error = (await failure()) as APIError;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(Number(error.headers?.get('retry-after-ms'))).toBeGreaterThan(0);
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('connectionReset drops the socket with no response; not billed', async () => {
    only('connectionReset');
    expect(await failure()).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(standIn.requestLog[0]).toMatchObject({ fault: 'connectionReset', status: null, billed: false });
  });

  it('refusal answers 200 with a refusal and no content, billed', async () => {
    only('refusal');
    const message = (await ask()).data.choices[0]!.message;
    expect(message.content).toBeNull();
    expect(message.refusal).toMatch(/can't help/);
    expect(standIn.requestLog[0]).toMatchObject({ fault: 'refusal', billed: true });
  });

  it('contentFilter answers 200 with finish_reason content_filter', async () => {
    only('contentFilter');
    expect((await ask()).data.choices[0]!.finish_reason).toBe('content_filter');
  });

  it('replays the same faults and latencies for the same seed', async () => {
    const settings = { seed: 42, latencyMs: 6, jitterMs: 4, faults: { error500: 0.3, malformed: 0.3 } };
    const runs: string[][] = [];
    for (let run = 0; run < 2; run++) {
      standIn.configure(settings);
      standIn.resetLog();
      for (let i = 0; i < 20; i++) await ask().catch(() => undefined);
      runs.push(standIn.requestLog.map((e) => `${e.fault}/${e.latencyMs}`));
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(new Set(runs[0]).size).toBeGreaterThan(1);
    expect(standIn.requestLog.every((e) => e.latencyMs >= 2 && e.latencyMs <= 10)).toBe(true);
    standIn.configure({ latencyMs: 0, jitterMs: 0 });
  });
});
