// A tiny HTTP client for the backend API in tests, plus the add-on's proof-of-edit step done straight on the stand-in.
import { createHash, randomBytes } from 'node:crypto';
import type { Workbook } from '../../local/sheets/index.js';

export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export function apiClient(baseUrl: string, token: string | undefined) {
  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers };
  };
  return {
    get: <T = Record<string, unknown>>(path: string, headers?: Record<string, string>) => call<T>('GET', path, undefined, headers),
    post: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, body ?? {}, headers),
  };
}

/** What the add-on does before each job request: a one-time nonce whose hash it stores as document metadata. */
export function writeProof(workbook: Workbook): string {
  const nonce = randomBytes(24).toString('hex');
  workbook.createMetadata({ key: 'rowfill.proof', value: createHash('sha256').update(nonce).digest('hex'), visibility: 'DOCUMENT', location: { kind: 'spreadsheet' } });
  return nonce;
}

export function brandSheetRows(n: number): string[][] {
  const rows = [['Brand', 'Country', 'Notes']];
  for (let i = 0; i < n; i++) rows.push([`Brand ${i}`, i % 2 ? 'Japan' : 'Sweden', `row ${i + 2}`]);
  return rows;
}

export const SHEET_JOB_CONFIG = {
  inputs: ['Brand', 'Country'],
  outputs: [
    { name: 'Category', instruction: 'Main product category' },
    { name: 'Founded', instruction: 'Year the brand was founded', type: 'number' },
  ],
  model: 'gpt-4.1-mini',
  workers: 8,
  budgetUsd: 1,
};

/** How many data rows of the sheet show each rowfill_status (an empty cell counts as ""). */
export function sheetStatusCounts(workbook: Workbook, lastRow: number): Record<string, number> {
  const table = workbook.values(`A1:Z${lastRow}`);
  const status = (table[0] ?? []).indexOf('rowfill_status');
  const counts: Record<string, number> = {};
  for (const row of table.slice(1)) {
    const cell = row[status];
    const value = typeof cell === 'string' ? cell : '';
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}
