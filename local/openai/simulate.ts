// The pure heart of the stand-in: a chat completion request in, the deterministic answer and its usage out.
import { messageText, rowInputsFrom, rowKeyOf, isRecord, type WireMessage } from './row-inputs.js';
import { simulateAnswer } from './schema-answer.js';

/** The fields of a `POST /v1/chat/completions` body the stand-in reads. */
export interface SimulatedRequest {
  readonly model: string;
  readonly messages: readonly WireMessage[];
  readonly response_format?: unknown;
  readonly max_completion_tokens?: number | null;
  readonly max_tokens?: number | null;
}

export interface SimulatedCompletion {
  readonly content: string;
  /** `length` when the answer was cut at the token cap, as a real model's would be. */
  readonly finishReason: 'stop' | 'length';
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Stable id of the row the request was about (sorted JSON of its inputs), or null when no inputs were found. */
  readonly rowKey: string | null;
}

/** Roughly four characters per token, like OpenAI's rule of thumb; no tokenizer, so the stand-in stays cheap. */
export function approximateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Prompt tokens of a request's messages, as its answer reports them (and as the Batch API's enqueued tokens count them). */
export function promptTokensOf(messages: readonly WireMessage[]): number {
  return Math.ceil(messages.reduce((sum, m) => sum + messageText(m).length, 0) / 4);
}

/**
 * What the stand-in answers for a request. Deterministic: the same request gives the same content and usage, so a
 * test can compute the exact expected output for a row without a server.
 */
export function simulateCompletion(request: SimulatedRequest): SimulatedCompletion {
  const inputs = rowInputsFrom(request.messages);
  const userText = request.messages.filter((m) => m.role === 'user').map(messageText).join('\n');
  const rowKey = inputs ? rowKeyOf(inputs) : userText === '' ? null : userText;
  const full = answerText(request.response_format, inputs ?? (userText === '' ? {} : { text: userText }));
  const cap = request.max_completion_tokens ?? request.max_tokens ?? null;
  const cut = cap !== null && approximateTokens(full) > cap;
  const content = cut ? full.slice(0, Math.max(0, cap * 4)) : full;
  return {
    content,
    finishReason: cut ? 'length' : 'stop',
    promptTokens: promptTokensOf(request.messages),
    completionTokens: approximateTokens(content),
    rowKey,
  };
}

function answerText(responseFormat: unknown, inputs: Readonly<Record<string, unknown>>): string {
  const format = isRecord(responseFormat) ? responseFormat : {};
  if (format.type === 'json_schema') {
    const spec = isRecord(format.json_schema) ? format.json_schema : {};
    const schema = isRecord(spec.schema) ? spec.schema : { type: 'object', properties: {} };
    return JSON.stringify(simulateAnswer(schema, inputs));
  }
  if (format.type === 'json_object') return JSON.stringify({ answer: simulateAnswer({ type: 'string' }, inputs) });
  return String(simulateAnswer({ type: 'string', description: 'answer' }, inputs));
}
