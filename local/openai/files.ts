// The stand-in's /v1/files: multipart upload, retrieve, list, delete and content download, held in memory.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authFailure } from './auth.js';
import { sendJson, sendOpenAiError, type OpenAiErrorFields } from './http-io.js';
import type { StoredFile } from './files-store.js';
import type { StandInState } from './state.js';

const PURPOSES = ['assistants', 'batch', 'batch_output', 'fine-tune', 'vision', 'user_data', 'evals'];
/** Room for the multipart envelope around the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export function fileObject(file: StoredFile): Record<string, unknown> {
  return {
    id: file.id,
    object: 'file',
    bytes: file.content.length,
    created_at: file.createdAt,
    expires_at: null,
    filename: file.filename,
    purpose: file.purpose,
    status: 'processed',
    status_details: null,
  };
}

export function noSuchFile(id: string): OpenAiErrorFields {
  return { message: `No such File object: ${id}`, type: 'invalid_request_error', param: 'id', code: null };
}

/** POST /v1/files: reads the raw body itself (the JSON body cap is too small for a 200 MB batch file). */
export function handleUploadFile(state: StandInState, req: IncomingMessage, res: ServerResponse): void {
  const headers = state.responseHeaders();
  const denied = authFailure(req, state.settings.rejectKey);
  if (denied) {
    req.resume();
    return sendOpenAiError(res, 401, denied, headers);
  }
  const maxFileBytes = state.settings.batchMaxFileBytes;
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > maxFileBytes + MULTIPART_OVERHEAD_BYTES) {
      refused = true;
      chunks.length = 0;
      sendOpenAiError(res, 400, tooLarge(maxFileBytes), headers);
      return;
    }
    chunks.push(chunk);
  });
  req.on('error', () => undefined);
  req.on('end', () => {
    if (refused) return;
    void storeUpload(state, req, res, Buffer.concat(chunks), headers);
  });
}

async function storeUpload(state: StandInState, req: IncomingMessage, res: ServerResponse, body: Buffer, headers: Record<string, string>): Promise<void> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
  } catch {
    return sendOpenAiError(res, 400, { message: 'The request must be multipart/form-data with a file and a purpose.', type: 'invalid_request_error', param: null, code: null }, headers);
  }
  const file = form.get('file');
  const purpose = form.get('purpose');
  if (typeof purpose !== 'string' || !PURPOSES.includes(purpose)) {
    const message = `Invalid value for 'purpose': expected one of ${PURPOSES.filter((p) => p !== 'batch_output').join(', ')}.`;
    return sendOpenAiError(res, 400, { message, type: 'invalid_request_error', param: 'purpose', code: null }, headers);
  }
  if (file === null || typeof file === 'string') {
    return sendOpenAiError(res, 400, { message: "Missing required parameter: 'file'.", type: 'invalid_request_error', param: 'file', code: null }, headers);
  }
  const content = Buffer.from(await file.arrayBuffer());
  if (purpose === 'batch') {
    if (!file.name.endsWith('.jsonl')) {
      return sendOpenAiError(res, 400, { message: 'Invalid file format for Batch API. Must be .jsonl', type: 'invalid_request_error', param: null, code: null }, headers);
    }
    if (content.length > state.settings.batchMaxFileBytes) return sendOpenAiError(res, 400, tooLarge(state.settings.batchMaxFileBytes), headers);
  }
  sendJson(res, 200, fileObject(state.files.add(file.name, purpose, content)), headers);
}

function tooLarge(maxBytes: number): OpenAiErrorFields {
  return { message: `File is too large: a batch input file may be at most ${maxBytes} bytes.`, type: 'invalid_request_error', param: 'file', code: 'file_too_large' };
}

/** GET /v1/files/{id}/content: the bytes as uploaded or as the batch wrote them. */
export function handleFileContent(state: StandInState, req: IncomingMessage, res: ServerResponse, id: string): void {
  const headers = state.responseHeaders();
  const denied = authFailure(req, state.settings.rejectKey);
  if (denied) return sendOpenAiError(res, 401, denied, headers);
  const file = state.files.get(id);
  if (!file) return sendOpenAiError(res, 404, noSuchFile(id), headers);
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, { ...headers, 'content-type': 'application/octet-stream', 'content-length': file.content.length });
  res.end(file.content);
}

/** GET, DELETE /v1/files/{id} and GET /v1/files (newest first, `purpose`, `after` and `limit` honoured). */
export function handleFileMeta(state: StandInState, req: IncomingMessage, res: ServerResponse, method: string, id: string | null, query: URLSearchParams): void {
  const headers = state.responseHeaders();
  const denied = authFailure(req, state.settings.rejectKey);
  if (denied) return sendOpenAiError(res, 401, denied, headers);
  if (id === null) {
    const purpose = query.get('purpose');
    const all = state.files.newestFirst().filter((f) => purpose === null || f.purpose === purpose);
    return sendJson(res, 200, listPage(all, query, fileObject), headers);
  }
  const file = state.files.get(id);
  if (!file) return sendOpenAiError(res, 404, noSuchFile(id), headers);
  if (method === 'DELETE') {
    state.files.delete(id);
    return sendJson(res, 200, { id, object: 'file', deleted: true }, headers);
  }
  sendJson(res, 200, fileObject(file), headers);
}

/** OpenAI's cursor page: items after the `after` id, at most `limit` (default 20, at most 10,000 for files, 100 for batches). */
export function listPage<T extends { readonly id: string }>(items: readonly T[], query: URLSearchParams, toJson: (item: T) => Record<string, unknown>, maxLimit = 10_000): Record<string, unknown> {
  const after = query.get('after');
  const start = after === null ? 0 : items.findIndex((item) => item.id === after) + 1;
  const requested = Number(query.get('limit') ?? 20);
  const limit = Number.isInteger(requested) && requested > 0 ? Math.min(requested, maxLimit) : 20;
  const page = items.slice(start, start + limit);
  return {
    object: 'list',
    data: page.map(toJson),
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
    has_more: start + limit < items.length,
  };
}
