// RPM and TPM limits as the real SDK meets them: 429 rate_limit_exceeded with retry-after and x-ratelimit-* headers.
import OpenAI, { type APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { rowRequest, sdkFor } from './fixtures.js';

let standIn: OpenAiStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function twoRequests(server: OpenAiStandIn): Promise<APIError> {
  const client = sdkFor(server);
  await client.chat.completions.create(rowRequest({ Brand: 'Acme' }));
  const error = await client.chat.completions.create(rowRequest({ Brand: 'Globex' })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  return error as APIError;
}

describe('rate limits', () => {
  it('answers 429 type requests once the RPM burst is spent', async () => {
    // Capacity of one request refilling every 10 s: the second request cannot fit however slow the machine.
    standIn = await startOpenAiStandIn({ rpm: 6, burstSeconds: 10 });
    const error = await twoRequests(standIn);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });
    expect(error.message).toMatch(/requests per min \(RPM\): Limit 6/);
    expect(Number(error.headers!.get('retry-after-ms'))).toBeGreaterThan(0);
    expect(Number(error.headers!.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(error.headers!.get('x-ratelimit-limit-requests')).toBe('6');
    expect(error.headers!.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(error.headers!.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?s$/);
  });

  it('answers 429 type tokens once the TPM burst is spent', async () => {
    standIn = await startOpenAiStandIn({ tpm: 60 });
    const error = await twoRequests(standIn);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'tokens' });
    expect(error.headers!.get('x-ratelimit-limit-tokens')).toBe('60');
    expect(error.headers!.get('x-ratelimit-remaining-tokens')).toBe('0');
  });

  it('does not bill or charge a refused request', async () => {
    standIn = await startOpenAiStandIn({ rpm: 6, burstSeconds: 10 });
    await twoRequests(standIn);
    expect(standIn.requestLog.map((e) => [e.status, e.billed])).toEqual([
      [200, true],
      [429, false],
    ]);
  });

  it('lifts the limit when configured back to unlimited', async () => {
    standIn = await startOpenAiStandIn({ rpm: 6, burstSeconds: 10 });
    await twoRequests(standIn);
    standIn.configure({ rpm: null });
    const { response } = await sdkFor(standIn).chat.completions.create(rowRequest({ Brand: 'Initech' })).withResponse();
    expect(Number(response.headers.get('x-ratelimit-limit-requests'))).toBeGreaterThanOrEqual(1_000_000);
  });
});
