// Small node:http helpers for the search stand-in: read a capped body, send JSON, send Tavily-shaped errors.
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

/** Collects the body as text; null when it is larger than 1 MiB or the client left. Calls back exactly once. */
export function readBody(req: IncomingMessage, done: (text: string | null) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (text: string | null): void => {
    if (!finished) {
      finished = true;
      done(text);
    }
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return finish(null);
    chunks.push(chunk);
  });
  req.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
  req.on('error', () => finish(null));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Tavily's error body: `{ "detail": { "error": "…" } }`. */
export function sendTavilyError(res: ServerResponse, status: number, message: string, headers: Readonly<Record<string, string>> = {}): void {
  sendJson(res, status, { detail: { error: message } }, headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Readonly<Record<string, string>> = {}): number {
  if (res.headersSent || res.destroyed) return 0;
  const bytes = Buffer.byteLength(html);
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': bytes, ...headers });
  res.end(html);
  return bytes;
}
