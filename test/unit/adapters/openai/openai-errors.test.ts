// The adapter's one error mapping, fed the SDK's real error classes for cases a local server cannot easily produce.
import OpenAI, { type APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { refusedAnswerError, toRowfillError, type ErrorContext } from '../../../../backend/src/adapters/openai/openai-errors.js';
import {
  AuthError,
  BudgetError,
  ConnectionError,
  ContentFilterError,
  InvalidRequestError,
  ServerError,
  TimeoutError,
} from '../../../../backend/src/kernel/errors.js';

const context: ErrorContext = { baseURL: 'http://127.0.0.1:9/v1', model: 'gpt-4.1-mini', operation: 'complete' };

function apiError(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): APIError {
  return OpenAI.APIError.generate(status, { error: body }, undefined, new Headers(headers));
}

describe('toRowfillError', () => {
  it('maps the SDK timeout to TimeoutError', () => {
    expect(toRowfillError(new OpenAI.APIConnectionTimeoutError(), context)).toBeInstanceOf(TimeoutError);
  });

  it('maps an abort to TimeoutError, or to the typed reason the engine aborted with', () => {
    expect(toRowfillError(new OpenAI.APIUserAbortError(), context)).toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    const reason = new BudgetError('Budget reached');
    controller.abort(reason);
    expect(toRowfillError(new OpenAI.APIUserAbortError(), { ...context, signal: controller.signal })).toBe(reason);
    const timedOut = new AbortController();
    timedOut.abort(new DOMException('The operation timed out.', 'TimeoutError'));
    expect(toRowfillError(new DOMException('aborted', 'AbortError'), { ...context, signal: timedOut.signal })).toBeInstanceOf(TimeoutError);
  });

  it('maps failures without a response to ConnectionError naming the base URL', () => {
    const error = toRowfillError(new OpenAI.APIConnectionError({ cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }), context);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe('Could not reach OpenAI at http://127.0.0.1:9/v1 (connect ECONNREFUSED 127.0.0.1:9): check the network and OPENAI_BASE_URL');
    expect(toRowfillError(new TypeError('terminated'), context)).toBeInstanceOf(ConnectionError);
  });

  it('classifies HTTP errors by status and code and keeps Retry-After', () => {
    const overloaded = toRowfillError(apiError(503, { message: 'Overloaded', type: 'server_error', code: null }, { 'retry-after': '2' }), context);
    expect(overloaded).toBeInstanceOf(ServerError);
    expect(overloaded.retryAfterMs).toBe(2000);
    expect(overloaded.message).toBe('OpenAI had a server error (503 server_error): Overloaded');
    expect(toRowfillError(apiError(403, { message: 'Project lacks access.', type: 'invalid_request_error', code: null }), context)).toBeInstanceOf(AuthError);
    const filtered = toRowfillError(apiError(400, { message: 'Flagged.', type: 'invalid_request_error', code: 'content_filter' }), context);
    expect(filtered).toBeInstanceOf(ContentFilterError);
    const bad = toRowfillError(apiError(400, { message: "Invalid schema for response_format 'row_output'.", type: 'invalid_request_error', code: null }), context);
    expect(bad).toBeInstanceOf(InvalidRequestError);
    expect(bad.message).toBe("OpenAI rejected the request (400 invalid_request_error): Invalid schema for response_format 'row_output'.");
  });

  it('reads a 404 without model_not_found on a completion as a wrong base URL', () => {
    const error = toRowfillError(apiError(404, { message: 'Invalid URL (POST /chat/completions)', type: 'invalid_request_error', code: null }), context);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain('check OPENAI_BASE_URL');
  });
});

describe('refusedAnswerError', () => {
  it('flags a content-filter stop and a refusal, and nothing else', () => {
    expect(refusedAnswerError({ finish_reason: 'content_filter', message: { refusal: null } })).toBeInstanceOf(ContentFilterError);
    expect(refusedAnswerError({ finish_reason: 'stop', message: { refusal: 'No.' } })?.message).toBe('The model refused this row: No.');
    expect(refusedAnswerError({ finish_reason: 'stop', message: { refusal: null } })).toBeNull();
  });
});
