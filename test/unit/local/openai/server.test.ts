// The stand-in as a server: where it listens, how it closes, and how it copes with many clients at once.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { rowRequest, sdkFor } from './fixtures.js';

let standIn: OpenAiStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

describe('startOpenAiStandIn', () => {
  it('listens on a free loopback port and gives a /v1 base URL', async () => {
    standIn = await startOpenAiStandIn();
    expect(standIn.url).toBe(`http://127.0.0.1:${standIn.port}/v1`);
    expect(standIn.port).toBeGreaterThan(0);
  });

  it('refuses a bad port or setting before listening', async () => {
    await expect(startOpenAiStandIn({ port: 70_000 })).rejects.toThrow('OpenAiStandIn: port must be an integer from 0 to 65535, got 70000');
    await expect(startOpenAiStandIn({ jitterMs: -5 })).rejects.toThrow('OpenAiStandIn: jitterMs must be a finite number >= 0, got -5');
  });

  it('answers hundreds of concurrent clients, each row once', async () => {
    standIn = await startOpenAiStandIn();
    const client = sdkFor(standIn);
    const rows = Array.from({ length: 400 }, (_, i) => ({ Brand: `Company ${i}` }));
    const answers = await Promise.all(rows.map((row) => client.chat.completions.create(rowRequest(row))));
    expect(answers.every((a) => a.choices[0]?.finish_reason === 'stop')).toBe(true);
    expect(standIn.requestLog).toHaveLength(400);
    expect(new Set(standIn.requestLog.map((e) => e.rowKey)).size).toBe(400);
  });

  it('drops connections still waiting when it closes', async () => {
    standIn = await startOpenAiStandIn({ faults: { hang: 1 } });
    const pending = sdkFor(standIn).chat.completions.create(rowRequest({ Brand: 'Acme' }));
    await expect.poll(() => standIn!.requestLog.length).toBe(1);
    await standIn.close();
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('changes settings at runtime and rejects bad ones', async () => {
    standIn = await startOpenAiStandIn();
    expect(standIn.configure({ latencyMs: 5, models: ['my-model'] })).toMatchObject({ latencyMs: 5, models: ['my-model'] });
    expect(standIn.settings.latencyMs).toBe(5);
    expect(() => standIn!.configure({ burstSeconds: 0 })).toThrow('OpenAiStandIn: burstSeconds must be a positive finite number, got 0');
  });
});
