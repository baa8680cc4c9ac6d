// What the stand-in answered, request by request, kept in memory so tests can count reads and writes per user.
import type { RequestKind } from './quota.js';

export interface SheetsRequestLogEntry {
  /** Arrival order, from 1. */
  readonly seq: number;
  /** Epoch ms from the stand-in's clock. */
  readonly at: number;
  readonly method: string;
  /** URL path without the query, decoded: `/v4/spreadsheets/<id>/values:batchUpdate`. */
  readonly path: string;
  /** The bearer token, or null when none was sent. */
  readonly user: string | null;
  readonly kind: RequestKind;
  readonly spreadsheetId: string | null;
  readonly status: number;
}

export class SheetsRequestLog {
  readonly entries: SheetsRequestLogEntry[] = [];
  private seq = 0;

  append(entry: Omit<SheetsRequestLogEntry, 'seq'>): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, ...entry });
  }

  /** Write requests only (values and structure), the ones Google's write quota counts. */
  writes(): SheetsRequestLogEntry[] {
    return this.entries.filter((e) => e.kind === 'write');
  }

  clear(): void {
    this.entries.length = 0;
  }
}
