// OpenAiModelClient against the local stand-in through the real SDK: answers, usage, limits, and typed errors.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiModelClient } from '../../../../backend/src/adapters/openai/openai-model-client.js';
import {
  AuthError,
  CancelledError,
  ConnectionError,
  ContentFilterError,
  InvalidRequestError,
  QuotaError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../../../../backend/src/kernel/errors.js';
import type { CompletionRequest } from '../../../../backend/src/ports/model.js';
import type { FaultKind } from '../../../../local/openai/faults.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { simulateCompletion } from '../../../../local/openai/simulate.js';

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['website', 'employees'],
  properties: { website: { type: 'string', description: 'Company website' }, employees: { type: 'integer' } },
};

function request(overrides: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    model: 'gpt-4.1-mini',
    messages: [
      { role: 'system', content: 'Fill in the fields for the row.' },
      { role: 'user', content: '<row>\n{"Brand":"Acme Corp"}\n</row>' },
    ],
    schemaName: 'row_output',
    schema: SCHEMA,
    maxOutputTokens: 300,
    signal: new AbortController().signal,
    ...overrides,
  };
}

let standIn: OpenAiStandIn;
let client: OpenAiModelClient;
beforeAll(async () => {
  standIn = await startOpenAiStandIn();
  client = new OpenAiModelClient({ apiKey: 'sk-test', baseURL: standIn.url, simulated: true });
});
afterAll(() => standIn.close());
beforeEach(() => {
  standIn.resetLog();
  standIn.configure({ rpm: null, tpm: null, hangMs: 600_000, faults: { error500: 0, hang: 0, malformed: 0, insufficientQuota: 0, connectionReset: 0, rateLimit: 0, invalidOutput: 0, refusal: 0, contentFilter: 0 } });
});

const withFault = (fault: FaultKind) => standIn.configure({ faults: { [fault]: 1 } });
const failure = (req: CompletionRequest = request(), on: OpenAiModelClient = client) => on.complete(req).then(() => null, (e: unknown) => e);

describe('OpenAiModelClient.complete', () => {
  it('returns the answer, its usage and the provider rate limits', async () => {
    standIn.configure({ rpm: 600, tpm: 100_000 });
    const result = await client.complete(request());
    const expected = simulateCompletion({
      model: 'gpt-4.1-mini',
      messages: request().messages,
      response_format: { type: 'json_schema', json_schema: { name: 'row_output', schema: SCHEMA, strict: true } },
      max_completion_tokens: 300,
    });
    expect(result.content).toBe(expected.content);
    expect(JSON.parse(result.content)).toMatchObject({ website: 'https://www.acme-corp.com' });
    expect(result.usage).toEqual({ inputTokens: expected.promptTokens, cachedInputTokens: 0, outputTokens: expected.completionTokens });
    expect(result.refusal).toBeNull();
    expect(result.rateLimit).toMatchObject({ limitRequests: 600, limitTokens: 100_000, remainingRequests: 9 });
    expect(result.rateLimit?.resetRequestsMs).toBeGreaterThan(0);
  });

  it('says whether it talks to the stand-in', () => {
    expect(client.simulated).toBe(true);
    expect(new OpenAiModelClient({ apiKey: 'sk-test' }).simulated).toBe(false);
  });

  it('makes exactly one request per call: the engine, not the SDK, retries', async () => {
    withFault('error500');
    const error = await failure();
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 500, retryable: true });
    expect(standIn.requestLog).toHaveLength(1);
  });

  it('turns a 429 rate limit into RateLimitError carrying Retry-After', async () => {
    withFault('rateLimit');
    const error = await failure();
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(200);
  });

  it('turns an exhausted RPM into RateLimitError with the wait the server asked for', async () => {
    standIn.configure({ rpm: 6, burstSeconds: 10 });
    await client.complete(request());
    const error = await failure();
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(0);
  });

  it('turns insufficient_quota into QuotaError, which pauses the job', async () => {
    withFault('insufficientQuota');
    const error = await failure();
    expect(error).toBeInstanceOf(QuotaError);
    expect((error as QuotaError).effect).toBe('pause');
    expect((error as Error).message).toMatch(/out of quota/);
  });

  it('turns a reset connection into ConnectionError naming the base URL', async () => {
    withFault('connectionReset');
    const error = await failure();
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain(standIn.url);
  });

  it('turns a hang aborted by a timeout signal into TimeoutError', async () => {
    withFault('hang');
    expect(await failure(request({ signal: AbortSignal.timeout(50) }))).toBeInstanceOf(TimeoutError);
  });

  it('rethrows the signal reason when the engine aborts with a typed error', async () => {
    withFault('hang');
    const controller = new AbortController();
    const reason = new CancelledError('Job cancelled by the user');
    const pending = failure(request({ signal: controller.signal }));
    await expect.poll(() => standIn.requestLog.length).toBe(1);
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });

  it('turns a refusal or a content-filter stop into ContentFilterError', async () => {
    withFault('refusal');
    const refused = await failure();
    expect(refused).toBeInstanceOf(ContentFilterError);
    expect((refused as Error).message).toMatch(/^The model refused this row: /);
    standIn.configure({ faults: { refusal: 0, contentFilter: 1 } });
    expect(await failure()).toBeInstanceOf(ContentFilterError);
  });

  it('returns malformed or schema-breaking content as is, for the engine to validate', async () => {
    withFault('malformed');
    const malformed = await client.complete(request());
    expect(() => JSON.parse(malformed.content) as unknown).toThrow();
    expect(malformed.usage.outputTokens).toBeGreaterThan(0);
    standIn.configure({ faults: { malformed: 0, invalidOutput: 1 } });
    expect(JSON.parse((await client.complete(request())).content)).toHaveProperty('unexpected_field', true);
  });

  it('turns a rejected key into AuthError telling the user what to set', async () => {
    const bad = new OpenAiModelClient({ apiKey: 'sk-invalid', baseURL: standIn.url });
    const error = await failure(request(), bad);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toBe('OpenAI rejected the API key (401 invalid_api_key): set OPENAI_API_KEY to a valid key');
  });

  it('turns an unknown model into InvalidRequestError, which fails the row', async () => {
    const error = await failure(request({ model: 'gpt-2' }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toBe("Model 'gpt-2' is not available to this API key");
  });
});

describe('OpenAiModelClient.validate', () => {
  it('passes for a model the key can use', async () => {
    await expect(client.validate('gpt-5-mini')).resolves.toBeUndefined();
  });

  it('fails with InvalidRequestError for an unknown model', async () => {
    const error = await client.validate('gpt-99').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toBe("Model 'gpt-99' is not available to this API key");
  });

  it('fails with AuthError for a rejected key', async () => {
    await expect(new OpenAiModelClient({ apiKey: 'sk-invalid', baseURL: standIn.url }).validate('gpt-5')).rejects.toBeInstanceOf(AuthError);
  });

  it('fails with ConnectionError naming the base URL when nothing listens there', async () => {
    const gone = await startOpenAiStandIn();
    await gone.close();
    const error = await new OpenAiModelClient({ apiKey: 'sk-test', baseURL: gone.url }).validate('gpt-5').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain(`Could not reach OpenAI at ${gone.url}`);
  });
});

describe('OpenAiModelClient options', () => {
  it('refuses an empty API key, a non-http base URL and an empty organization', () => {
    expect(() => new OpenAiModelClient({ apiKey: ' ' })).toThrow('OpenAiModelClient: apiKey must be a non-empty string (set OPENAI_API_KEY)');
    expect(() => new OpenAiModelClient({ apiKey: 'sk-test', baseURL: 'localhost:8787' })).toThrow('OpenAiModelClient: baseURL must be an http(s) URL, got "localhost:8787"');
    expect(() => new OpenAiModelClient({ apiKey: 'sk-test', organization: '' })).toThrow('OpenAiModelClient: organization must be a non-empty string when given');
  });

  it('defaults to the public OpenAI API', () => {
    expect(new OpenAiModelClient({ apiKey: 'sk-test' }).baseURL).toBe('https://api.openai.com/v1');
  });
});
