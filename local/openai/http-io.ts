// Small helpers for node:http: read a JSON body with a size cap, send JSON, send OpenAI-shaped errors.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bodies above this are refused; a row prompt is a few KB, so this only stops runaway clients. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export type BodyResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: 'too_large' | 'aborted' };

/** Collects the body; calls back exactly once, without extra ticks after the last chunk. */
export function readBody(req: IncomingMessage, done: (result: BodyResult) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (result: BodyResult): void => {
    if (finished) return;
    finished = true;
    done(result);
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      finish({ ok: false, reason: 'too_large' });
      req.resume();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
  req.on('error', () => finish({ ok: false, reason: 'aborted' }));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export interface OpenAiErrorFields {
  readonly message: string;
  readonly type: string;
  readonly code: string | null;
  readonly param?: string | null;
}

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export function sendOpenAiError(res: ServerResponse, status: number, fields: OpenAiErrorFields, headers: Readonly<Record<string, string>> = {}): void {
  sendJson(res, status, { error: { message: fields.message, type: fields.type, param: fields.param ?? null, code: fields.code } }, headers);
}
