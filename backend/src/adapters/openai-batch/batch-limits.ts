// OpenAI's Batch API limits and the request line format a batch input file holds.
import type { BatchRowRequest } from '../../ports/batch.js';

/** At most this many requests in one batch input file. */
export const MAX_REQUESTS_PER_FILE = 50_000;
/** At most this many bytes in one batch input file (OpenAI's 200 MB, counted in decimal to stay under it either way). */
export const MAX_BYTES_PER_FILE = 200_000_000;
export const BATCH_ENDPOINT = '/v1/chat/completions';

/**
 * One JSONL line (with its newline) for a row: the same chat-completions body fast mode sends (strict JSON schema,
 * max_completion_tokens), wrapped in OpenAI's `{ custom_id, method, url, body }`.
 */
export function batchLine(row: BatchRowRequest): string {
  const { request } = row;
  const body = {
    model: request.model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    response_format: { type: 'json_schema', json_schema: { name: request.schemaName, schema: request.schema, strict: true } },
    max_completion_tokens: request.maxOutputTokens,
  };
  return `${JSON.stringify({ custom_id: row.customId, method: 'POST', url: BATCH_ENDPOINT, body })}\n`;
}
