// Routes of the Batch API stand-in: /v1/files and /v1/batches, so cheap mode runs with no key.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleCancelBatch, handleCreateBatch, handleListBatches, handleRetrieveBatch } from './batches.js';
import { handleFileContent, handleFileMeta } from './files.js';
import type { StandInState } from './state.js';

/** Answers the request when it is a files or batches route; false when it is not one of them. */
export function routeBatchApi(state: StandInState, req: IncomingMessage, res: ServerResponse, method: string, path: string, body: string): boolean {
  const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
  const parts = path.split('/').slice(2).map(decodePart);
  if (parts.some((part) => part === null)) return false;
  const [collection, id, action] = parts as string[];
  if (collection === 'files') {
    if (parts.length === 1 && method === 'GET') return done(() => handleFileMeta(state, req, res, method, null, query));
    if (parts.length === 2 && id && (method === 'GET' || method === 'DELETE')) return done(() => handleFileMeta(state, req, res, method, id, query));
    if (parts.length === 3 && id && action === 'content' && method === 'GET') return done(() => handleFileContent(state, req, res, id));
  }
  if (collection === 'batches') {
    if (parts.length === 1 && method === 'POST') return done(() => handleCreateBatch(state, req, res, body));
    if (parts.length === 1 && method === 'GET') return done(() => handleListBatches(state, req, res, query));
    if (parts.length === 2 && id && method === 'GET') return done(() => handleRetrieveBatch(state, req, res, id));
    if (parts.length === 3 && id && action === 'cancel' && method === 'POST') return done(() => handleCancelBatch(state, req, res, id));
  }
  return false;
}

function done(run: () => void): true {
  run();
  return true;
}

function decodePart(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}
