// OpenAiModelClient on answers that break the rules of size and shape: refused past the size cap, empty choices still billed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiModelClient } from '../../../../backend/src/adapters/openai/openai-model-client.js';
import { AnswerTooLargeError } from '../../../../backend/src/kernel/errors.js';
import type { CompletionRequest } from '../../../../backend/src/ports/model.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';

const SCHEMA = { type: 'object', additionalProperties: false, required: ['website'], properties: { website: { type: 'string' } } };

function request(): CompletionRequest {
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
  };
}

let standIn: OpenAiStandIn;
let client: OpenAiModelClient;
beforeAll(async () => {
  standIn = await startOpenAiStandIn();
  client = new OpenAiModelClient({ apiKey: 'sk-test', baseURL: standIn.url, simulated: true });
});
afterAll(() => standIn.close());
beforeEach(() => standIn.configure({ faults: { hugeAnswer: 0, emptyChoices: 0 } }));

describe('OpenAiModelClient answer limits', () => {
  it('refuses an answer body over 1 MB before reading it whole, as AnswerTooLargeError (a budget pause)', async () => {
    standIn.configure({ faults: { hugeAnswer: 1 }, hugeAnswerBytes: 3_000_000 });
    const error = await client.complete(request()).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AnswerTooLargeError);
    expect(error).toMatchObject({ errorClass: 'budget', effect: 'pause' });
    expect((error as Error).message).toContain("larger than 1 MB for model 'gpt-4.1-mini'");
  });

  it('takes an answer under the cap, and a smaller cap when given', async () => {
    standIn.configure({ faults: { hugeAnswer: 1 }, hugeAnswerBytes: 200_000 });
    expect((await client.complete(request())).content.length).toBeGreaterThanOrEqual(199_000);
    const strict = new OpenAiModelClient({ apiKey: 'sk-test', baseURL: standIn.url, maxAnswerBytes: 100_000 });
    await expect(strict.complete(request())).rejects.toThrow('larger than 100 KB');
    expect(() => new OpenAiModelClient({ apiKey: 'sk-test', maxAnswerBytes: 0 })).toThrow('OpenAiModelClient: maxAnswerBytes must be a positive integer when given');
  });

  it('returns a 200 with no choices as an empty answer with its reported usage: it was billed, and the engine repairs it once', async () => {
    standIn.configure({ faults: { emptyChoices: 1 } });
    const result = await client.complete(request());
    expect(result.content).toBe('');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });
});
