// What the Sheets and OpenAI stand-ins saw during a case, reduced to the figures the cloud table reports.
import type { SheetsRequestLogEntry } from '../../local/sheets/index.js';

/** Most events within any window of `windowMs` (sliding, as Google's per-minute quotas are counted). */
export function peakInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

export interface SheetsTraffic {
  readonly reads: number;
  readonly writes: number;
  /** Requests answered 429 (over the stand-in's per-user quota). */
  readonly rejected: number;
  /** Most read (write) requests sent within any 60 s, 429s included: what the quota counts. */
  readonly peakReadsPerMinute: number;
  readonly peakWritesPerMinute: number;
  /** Requests sent per minute over the case's whole span (reads + writes). */
  readonly meanPerMinute: number;
  /** Read and write requests in each whole minute from the first request (the last minute may be partial). */
  readonly perMinute: readonly { readonly reads: number; readonly writes: number }[];
  /** Spreadsheets written to. */
  readonly spreadsheets: number;
  /** Median time between two answered writes to the same spreadsheet: how often a sheet was flushed. */
  readonly medianWriteGapMs: number | null;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function writeGaps(entries: readonly SheetsRequestLogEntry[]): number[] {
  const last = new Map<string, number>();
  const gaps: number[] = [];
  for (const e of entries) {
    if (e.kind !== 'write' || e.status !== 200 || e.spreadsheetId === null) continue;
    const before = last.get(e.spreadsheetId);
    if (before !== undefined) gaps.push(e.at - before);
    last.set(e.spreadsheetId, e.at);
  }
  return gaps;
}

/** The service account's requests (every job reads and writes as that one user). */
export function sheetsTraffic(log: readonly SheetsRequestLogEntry[], user: string): SheetsTraffic {
  const mine = log.filter((e) => e.user === user);
  const reads = mine.filter((e) => e.kind === 'read');
  const writes = mine.filter((e) => e.kind === 'write');
  const first = mine[0]?.at ?? 0;
  const last = mine.at(-1)?.at ?? first;
  const perMinute: { reads: number; writes: number }[] = [];
  for (const e of mine) {
    const minute = Math.floor((e.at - first) / 60_000);
    while (perMinute.length <= minute) perMinute.push({ reads: 0, writes: 0 });
    if (e.kind === 'read') perMinute[minute]!.reads++;
    else perMinute[minute]!.writes++;
  }
  return {
    reads: reads.length,
    writes: writes.length,
    rejected: mine.filter((e) => e.status === 429).length,
    peakReadsPerMinute: peakInWindow(reads.map((e) => e.at), 60_000),
    peakWritesPerMinute: peakInWindow(writes.map((e) => e.at), 60_000),
    meanPerMinute: mine.length / Math.max(1, (last - first) / 60_000),
    perMinute,
    spreadsheets: new Set(writes.map((e) => e.spreadsheetId)).size,
    medianWriteGapMs: median(writeGaps(mine)),
  };
}

export interface ModelTraffic {
  readonly calls: number;
  readonly answered: number;
  readonly rateLimited: number;
  /** Σ of the stand-in's simulated latency over answered calls, ms: the work a window of workers must carry. */
  readonly latencyMs: number;
}

export function modelTraffic(log: readonly { readonly status: number | null; readonly billed: boolean; readonly latencyMs: number; readonly batchId?: string }[]): ModelTraffic {
  const calls = log.filter((e) => e.batchId === undefined);
  const answered = calls.filter((e) => e.billed);
  return {
    calls: calls.length,
    answered: answered.length,
    rateLimited: calls.filter((e) => e.status === 429).length,
    latencyMs: answered.reduce((sum, e) => sum + e.latencyMs, 0),
  };
}

/** max(calls ÷ rate, work ÷ workers): neither the rate limit nor the window can be beaten. */
export function boundMs(answered: number, rpm: number, latencyMs: number, workers: number): number {
  return Math.max((answered / rpm) * 60_000, latencyMs / Math.max(1, workers));
}
