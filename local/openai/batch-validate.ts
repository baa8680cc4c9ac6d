// Checks a batch input file the way OpenAI's validating step does: JSONL lines, unique custom_id, POST, the batch's endpoint.
import { isRecord } from './row-inputs.js';

export interface BatchRequestLine {
  readonly customId: string;
  /** The request body, as sent to the endpoint. */
  readonly body: Record<string, unknown>;
}

/** One entry of a failed batch's `errors.data`, as OpenAI reports it (line numbers from 1). */
export interface BatchValidationError {
  readonly code: string;
  readonly message: string;
  readonly param: string | null;
  readonly line: number | null;
}

export type ValidatedFile = { readonly ok: true; readonly lines: readonly BatchRequestLine[] } | { readonly ok: false; readonly errors: readonly BatchValidationError[] };

/** At most this many line errors are reported, like the real API's truncated list. */
const MAX_REPORTED_ERRORS = 100;

export function validateBatchFile(content: Buffer, endpoint: string, maxRequests: number): ValidatedFile {
  const errors: BatchValidationError[] = [];
  const lines: BatchRequestLine[] = [];
  const seen = new Set<string>();
  let model: string | null = null;
  const report = (line: number | null, code: string, message: string, param: string | null = null): void => {
    if (errors.length < MAX_REPORTED_ERRORS) errors.push({ code, message, param, line });
  };
  const texts = content.toString('utf8').split('\n');
  let requests = 0;
  texts.forEach((text, index) => {
    if (text.trim() === '') return;
    const lineNo = index + 1;
    requests += 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return report(lineNo, 'invalid_json_line', 'This line is not parseable as valid JSON.');
    }
    if (!isRecord(parsed)) return report(lineNo, 'invalid_json_line', 'This line is not a JSON object.');
    const { custom_id: customId, method, url, body } = parsed;
    if (typeof customId !== 'string' || customId === '') return report(lineNo, 'missing_required_parameter', 'This line is missing a custom_id.', 'custom_id');
    if (seen.has(customId)) {
      return report(lineNo, 'duplicate_custom_id', 'The custom_id for this request is a duplicate of another request. The custom_id parameter must be unique for each individual request in a batch.', 'custom_id');
    }
    seen.add(customId);
    if (method !== 'POST') return report(lineNo, 'invalid_method', 'This line contains an invalid method. Only POST requests are supported.', 'method');
    if (url !== endpoint) return report(lineNo, 'invalid_url', `The URL provided for this request does not match the batch endpoint ${endpoint}.`, 'url');
    if (!isRecord(body)) return report(lineNo, 'invalid_request', 'This line is missing a request body object.', 'body');
    if (typeof body.model === 'string') {
      if (model !== null && body.model !== model) {
        return report(lineNo, 'mismatched_model', `The provided model '${body.model}' does not match the other requests in the batch ('${model}').`, 'body.model');
      }
      model = body.model;
    }
    lines.push({ customId, body });
  });
  if (requests === 0) report(null, 'empty_file', 'The batch input file is empty.');
  if (requests > maxRequests) report(null, 'too_many_requests', `The batch input file has ${requests} requests; a batch may have at most ${maxRequests}.`);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, lines };
}
