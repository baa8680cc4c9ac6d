// simulateCompletion: the exact answer and usage a request gets, computable without a server.
import { describe, expect, it } from 'vitest';
import { simulateAnswer } from '../../../../local/openai/schema-answer.js';
import { simulateCompletion } from '../../../../local/openai/simulate.js';
import { ROW_SCHEMA, rowRequest } from './fixtures.js';

describe('simulateCompletion', () => {
  it('answers a row request with the schema answer for the row inputs', () => {
    const inputs = { Brand: 'Acme Corp', Website: 'acme.com' };
    const result = simulateCompletion(rowRequest(inputs));
    expect(JSON.parse(result.content)).toEqual(simulateAnswer(ROW_SCHEMA, inputs));
    expect(result.finishReason).toBe('stop');
  });

  it('is deterministic and keys the row by its sorted inputs', () => {
    const a = simulateCompletion(rowRequest({ Brand: 'Acme', Country: 'DE' }));
    const b = simulateCompletion(rowRequest({ Country: 'DE', Brand: 'Acme' }));
    expect(a.rowKey).toBe('{"Brand":"Acme","Country":"DE"}');
    expect(b.rowKey).toBe(a.rowKey);
    expect(simulateCompletion(rowRequest({ Brand: 'Acme', Country: 'DE' }))).toEqual(a);
  });

  it('does not depend on the system prompt or the model', () => {
    const base = rowRequest({ Brand: 'Acme' });
    const other = { ...base, model: 'gpt-5', messages: [{ role: 'system' as const, content: 'Another prompt' }, base.messages[1]!] };
    expect(simulateCompletion(other).content).toBe(simulateCompletion(base).content);
  });

  it('finds the row without tags by taking the outermost braces', () => {
    const request = { ...rowRequest({}), messages: [{ role: 'user' as const, content: 'Row: {"Brand": "Acme Corp"} thanks' }] };
    expect(simulateCompletion(request).rowKey).toBe('{"Brand":"Acme Corp"}');
    expect(JSON.parse(simulateCompletion(request).content)).toEqual(simulateAnswer(ROW_SCHEMA, { Brand: 'Acme Corp' }));
  });

  it('reports usage as a quarter of the characters, rounded up', () => {
    const request = rowRequest({ Brand: 'Acme' });
    const chars = request.messages.reduce((sum, m) => sum + (m.content as string).length, 0);
    const result = simulateCompletion(request);
    expect(result.promptTokens).toBe(Math.ceil(chars / 4));
    expect(result.completionTokens).toBe(Math.ceil(result.content.length / 4));
  });

  it('cuts the answer at max_completion_tokens (or max_tokens) and says so', () => {
    const cut = simulateCompletion(rowRequest({ Brand: 'Acme' }, { maxTokens: 5 }));
    expect(cut.finishReason).toBe('length');
    expect(cut.completionTokens).toBeLessThanOrEqual(5);
    expect(() => JSON.parse(cut.content) as unknown).toThrow();
    const legacy = { ...rowRequest({ Brand: 'Acme' }), max_completion_tokens: undefined, max_tokens: 5 };
    expect(simulateCompletion(legacy).finishReason).toBe('length');
  });

  it('answers plain text when no schema is requested', () => {
    const request = { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: '<row>{"Brand":"Acme"}</row>' }] };
    expect(simulateCompletion(request).content).toMatch(/Acme/);
  });
});
