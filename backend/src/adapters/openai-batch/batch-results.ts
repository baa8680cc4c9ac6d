// Turns one line of a batch output or error file into a typed per-row result, classified like fast mode's answers.
import { APIError } from 'openai';
import { errorFromHttp, ServerError } from '../../kernel/errors.js';
import type { BatchRowResult } from '../../ports/batch.js';
import type { Usage } from '../../ports/domain.js';
import { refusedAnswerError, toRowfillError } from '../openai/openai-errors.js';

/** Codes of requests the batch never ran: the row is not failed, it goes back to the queue. */
const UNANSWERED_CODES = new Set(['batch_expired', 'batch_cancelled']);
const NO_USAGE: Usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };

interface WireLine {
  readonly custom_id?: unknown;
  readonly response?: { readonly status_code?: unknown; readonly body?: unknown } | null;
  readonly error?: { readonly code?: unknown; readonly message?: unknown } | null;
}

interface WireCompletion {
  readonly usage?: { readonly prompt_tokens?: number; readonly completion_tokens?: number; readonly prompt_tokens_details?: { readonly cached_tokens?: number } | null } | null;
  readonly choices?: ReadonlyArray<{ readonly finish_reason: string; readonly message: { readonly content?: string | null; readonly refusal?: string | null } }>;
}

/** `baseURL` only names where OpenAI was reached in messages. Throws a ServerError for a line that is not a result. */
export function parseResultLine(text: string, baseURL: string): BatchRowResult {
  let line: WireLine;
  try {
    line = JSON.parse(text) as WireLine;
  } catch (cause) {
    throw new ServerError(`OpenAI's batch result file has a line that is not JSON: ${text.slice(0, 200)}`, { cause });
  }
  if (typeof line !== 'object' || line === null || typeof line.custom_id !== 'string') {
    throw new ServerError(`OpenAI's batch result file has a line without a custom_id: ${text.slice(0, 200)}`);
  }
  const customId = line.custom_id;
  const response = line.response ?? null;
  if (response === null || typeof response.status_code !== 'number') {
    const code = typeof line.error?.code === 'string' ? line.error.code : 'unknown';
    const message = typeof line.error?.message === 'string' ? line.error.message : 'OpenAI gave no reason';
    if (UNANSWERED_CODES.has(code)) return { kind: 'unanswered', customId, code, message };
    return { kind: 'error', customId, usage: NO_USAGE, error: errorFromHttp({ status: 500, code, message: `OpenAI could not run this batch request (${code}): ${message}` }) };
  }
  const status = response.status_code;
  if (status !== 200) {
    // The same classification and wording as a fast-mode call that got this status and body: the SDK's own error from
    // the whole body (it reads `body.error`); without headers it would read the status as a connection failure.
    const apiError = APIError.generate(status, typeof response.body === 'object' && response.body !== null ? response.body : undefined, undefined, new Headers());
    return { kind: 'error', customId, usage: NO_USAGE, error: toRowfillError(apiError, { baseURL, model: modelOf(response.body), operation: 'complete' }) };
  }
  const completion = (response.body ?? {}) as WireCompletion;
  const usage: Usage = {
    inputTokens: completion.usage?.prompt_tokens ?? 0,
    cachedInputTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
    outputTokens: completion.usage?.completion_tokens ?? 0,
  };
  const choice = completion.choices?.[0];
  // As in fast mode, a 200 with no choices was billed and comes back empty: the engine repairs it once, then fails it.
  if (!choice) return { kind: 'answer', customId, content: '', usage, finishReason: null };
  const refused = refusedAnswerError(choice);
  if (refused) return { kind: 'error', customId, usage, error: refused };
  return { kind: 'answer', customId, content: choice.message.content ?? '', usage, finishReason: choice.finish_reason };
}

function modelOf(body: unknown): string {
  return typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string' ? body.model : 'the batch model';
}
