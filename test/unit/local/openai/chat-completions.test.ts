// POST /v1/chat/completions through the real SDK: the simulated answer, usage, headers, and the errors OpenAI gives.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { simulateCompletion } from '../../../../local/openai/simulate.js';
import { postJson, ROW_SCHEMA, rowRequest, sdkFor } from './fixtures.js';

let standIn: OpenAiStandIn;
beforeAll(async () => {
  standIn = await startOpenAiStandIn();
});
afterAll(() => standIn.close());
beforeEach(() => standIn.resetLog());

describe('chat completions', () => {
  it('answers with the simulated content, valid for the schema, and its usage', async () => {
    const request = rowRequest({ Brand: 'Acme Corp', Website: 'acme.com' });
    const expected = simulateCompletion(request);
    const { data, response } = await sdkFor(standIn).chat.completions.create(request).withResponse();
    const choice = data.choices[0]!;
    expect(choice.message.content).toBe(expected.content);
    expect(choice.finish_reason).toBe('stop');
    expect(z.fromJSONSchema(ROW_SCHEMA as unknown as Record<string, unknown>).safeParse(JSON.parse(choice.message.content!)).success).toBe(true);
    expect(data.usage).toMatchObject({
      prompt_tokens: expected.promptTokens,
      completion_tokens: expected.completionTokens,
      total_tokens: expected.promptTokens + expected.completionTokens,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    for (const name of ['limit-requests', 'limit-tokens', 'remaining-requests', 'remaining-tokens', 'reset-requests', 'reset-tokens']) {
      expect(response.headers.get(`x-ratelimit-${name}`)).not.toBeNull();
    }
  });

  it('accepts max_tokens in place of max_completion_tokens', async () => {
    const { max_completion_tokens: _unused, ...rest } = rowRequest({ Brand: 'Acme' });
    const data = await sdkFor(standIn).chat.completions.create({ ...rest, max_tokens: 3 });
    expect(data.choices[0]!.finish_reason).toBe('length');
  });

  it('answers 401 invalid_api_key in OpenAI error shape for a missing key', async () => {
    const result = await postJson(`${standIn.url}/chat/completions`, rowRequest({ Brand: 'Acme' }), {});
    expect(result.status).toBe(401);
    expect(result.body).toEqual({ error: { message: expect.any(String) as unknown, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    expect(standIn.requestLog[0]).toMatchObject({ status: 401, billed: false });
  });

  it('answers 401 invalid_api_key for the configured reject key', async () => {
    const error = await sdkFor(standIn, 'sk-invalid').chat.completions.create(rowRequest({ Brand: 'Acme' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({ code: 'invalid_api_key' });
  });

  it('answers 404 model_not_found for an unknown model', async () => {
    const error = await sdkFor(standIn).chat.completions.create(rowRequest({ Brand: 'Acme' }, { model: 'gpt-2' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ code: 'model_not_found' });
  });

  it('answers 400 for a body that is not JSON or lacks messages', async () => {
    expect((await postJson(`${standIn.url}/chat/completions`, '{not json')).status).toBe(400);
    const missing = await postJson(`${standIn.url}/chat/completions`, { model: 'gpt-4.1-mini' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { type: 'invalid_request_error', param: 'messages' } });
  });

  it('answers 404 in OpenAI error shape for an unknown route', async () => {
    const result = await postJson(`${standIn.url}/completions`, {});
    expect(result.status).toBe(404);
    expect(result.body).toMatchObject({ error: { message: 'Invalid URL (POST /v1/completions)', type: 'invalid_request_error' } });
  });
});
