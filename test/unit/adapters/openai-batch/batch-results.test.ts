// Result lines → typed per-row results, and results() streaming a file line by line as it arrives.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseResultLine } from '../../../../backend/src/adapters/openai-batch/batch-results.js';
import { OpenAiBatchClient } from '../../../../backend/src/adapters/openai-batch/openai-batch-client.js';
import { ContentFilterError, InvalidRequestError, QuotaError, RateLimitError, ServerError } from '../../../../backend/src/kernel/errors.js';

const BASE = 'http://127.0.0.1:1/v1';
const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, prompt_tokens_details: { cached_tokens: 40 } };

function okLine(customId: string, message: Record<string, unknown>, finishReason = 'stop'): string {
  const body = { id: 'chatcmpl-1', object: 'chat.completion', model: 'gpt-4.1-mini', choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason }], usage };
  return JSON.stringify({ id: 'batch_req_1', custom_id: customId, response: { status_code: 200, request_id: 'req_1', body }, error: null });
}

function errorLine(customId: string, status: number, error: Record<string, unknown>): string {
  return JSON.stringify({ id: 'batch_req_2', custom_id: customId, response: { status_code: status, request_id: 'req_2', body: { error } }, error: null });
}

describe('parseResultLine', () => {
  it('reads an answer with its content and billed usage', () => {
    expect(parseResultLine(okLine('r1', { content: '{"a":1}', refusal: null }), BASE)).toEqual({
      kind: 'answer',
      customId: 'r1',
      content: '{"a":1}',
      usage: { inputTokens: 100, cachedInputTokens: 40, outputTokens: 20 },
      finishReason: 'stop',
    });
  });

  it('reads a refusal and a filtered answer as content_filter errors that still carry their usage', () => {
    const refusal = parseResultLine(okLine('r2', { content: null, refusal: 'I cannot help.' }), BASE);
    expect(refusal).toMatchObject({ kind: 'error', customId: 'r2', usage: { inputTokens: 100, outputTokens: 20 } });
    expect(refusal.kind === 'error' && refusal.error).toBeInstanceOf(ContentFilterError);
    const filtered = parseResultLine(okLine('r3', { content: null }, 'content_filter'), BASE);
    expect(filtered.kind === 'error' && filtered.error).toBeInstanceOf(ContentFilterError);
  });

  it('classifies per-request HTTP errors as fast mode does', () => {
    const cases: Array<[number, Record<string, unknown>, new (...args: never[]) => Error]> = [
      [500, { message: 'boom', type: 'server_error', code: 'server_error' }, ServerError],
      [429, { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' }, RateLimitError],
      [429, { message: 'no credit', type: 'insufficient_quota', code: 'insufficient_quota' }, QuotaError],
      [400, { message: 'bad schema', type: 'invalid_request_error', code: null }, InvalidRequestError],
    ];
    for (const [status, error, type] of cases) {
      const result = parseResultLine(errorLine('e', status, error), BASE);
      expect(result).toMatchObject({ kind: 'error', customId: 'e', usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 } });
      expect(result.kind === 'error' && result.error).toBeInstanceOf(type);
    }
  });

  it('reads requests the batch never ran as unanswered', () => {
    const line = JSON.stringify({ id: 'x', custom_id: 'u', response: null, error: { code: 'batch_expired', message: 'too late' } });
    expect(parseResultLine(line, BASE)).toEqual({ kind: 'unanswered', customId: 'u', code: 'batch_expired', message: 'too late' });
  });

  it('refuses a line that is not a result', () => {
    expect(() => parseResultLine('{"oops', BASE)).toThrow(ServerError);
    expect(() => parseResultLine('{"response":null}', BASE)).toThrow(/without a custom_id/);
  });
});

describe('results', () => {
  it('yields each line as it arrives: the first result comes while the server still holds the rest of the file', async () => {
    let response: ServerResponse | null = null;
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(`${okLine('first', { content: '{}', refusal: null })}\n`);
      response = res;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new OpenAiBatchClient({ apiKey: 'sk-test', baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` });
      const results = client.results('file-out')[Symbol.asyncIterator]();
      const first = await results.next();
      expect(first.value).toMatchObject({ kind: 'answer', customId: 'first' });
      // Only now does the server send the rest: the first result cannot have come from a whole-file read.
      const held = response as ServerResponse | null;
      held?.end(`${okLine('second', { content: '{}', refusal: null })}\n`);
      expect((await results.next()).value).toMatchObject({ customId: 'second' });
      expect((await results.next()).done).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
