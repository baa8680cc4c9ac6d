// The REST paths the stand-in serves, parsed from a request line: which spreadsheet, which method, read or write.
import type { RequestKind } from './quota.js';

export type Operation =
  | 'get'
  | 'batchUpdate'
  | 'valuesGet'
  | 'valuesUpdate'
  | 'valuesBatchGet'
  | 'valuesBatchGetByDataFilter'
  | 'valuesBatchUpdate'
  | 'metadataSearch'
  | 'metadataGet';

export interface Route {
  readonly spreadsheetId: string;
  readonly operation: Operation;
  readonly kind: RequestKind;
  /** The range of values/{range}, or the id of developerMetadata/{id}. */
  readonly param?: string;
}

const WRITES: ReadonlySet<Operation> = new Set(['batchUpdate', 'valuesUpdate', 'valuesBatchUpdate']);
const PREFIX = '/v4/spreadsheets/';

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function make(spreadsheetId: string, operation: Operation, param?: string): Route {
  return { spreadsheetId, operation, kind: WRITES.has(operation) ? 'write' : 'read', ...(param !== undefined ? { param } : {}) };
}

/** Undefined when the path is none of the supported methods. Segments are split before decoding, so `%2F` in a tab name stays put. */
export function parseRoute(method: string, pathname: string): Route | undefined {
  if (!pathname.startsWith(PREFIX)) return undefined;
  const raw = pathname.slice(PREFIX.length).split('/');
  const segments = raw.map(decode);
  if (segments.some((s) => s === undefined || s === '')) return undefined;
  const [first, second, third] = segments as string[];
  if (first === undefined) return undefined;
  const [id, verb] = first.split(':', 2) as [string, string | undefined];
  if (id === '') return undefined;
  if (segments.length === 1) {
    if (verb === undefined && method === 'GET') return make(id, 'get');
    if (verb === 'batchUpdate' && method === 'POST') return make(id, 'batchUpdate');
    return undefined;
  }
  if (verb !== undefined) return undefined;
  if (segments.length === 2) {
    const key = `${method} ${second}`;
    if (key === 'GET values:batchGet') return make(id, 'valuesBatchGet');
    if (key === 'POST values:batchGetByDataFilter') return make(id, 'valuesBatchGetByDataFilter');
    if (key === 'POST values:batchUpdate') return make(id, 'valuesBatchUpdate');
    if (key === 'POST developerMetadata:search') return make(id, 'metadataSearch');
    return undefined;
  }
  if (segments.length === 3 && third !== undefined) {
    if (second === 'values' && method === 'GET') return make(id, 'valuesGet', third);
    if (second === 'values' && method === 'PUT') return make(id, 'valuesUpdate', third);
    if (second === 'developerMetadata' && method === 'GET') return make(id, 'metadataGet', third);
  }
  return undefined;
}
