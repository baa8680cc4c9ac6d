// The cloud bench's Sheets figures: a quota is counted over any 60 s, so one minute's burst across two clock minutes shows.
import { describe, expect, it } from 'vitest';
import { boundMs, peakInWindow, sheetsTraffic } from '../../../../bench/cloud/request-stats.js';
import type { SheetsRequestLogEntry } from '../../../../local/sheets/index.js';

const SA = 'rowfill@bench.iam.gserviceaccount.com';

function entry(seq: number, at: number, kind: 'read' | 'write', status = 200, user: string | null = SA): SheetsRequestLogEntry {
  return { seq, at, method: kind === 'read' ? 'GET' : 'POST', path: '/v4/spreadsheets/s1/values', user, kind, spreadsheetId: 's1', status };
}

describe('peakInWindow', () => {
  it('finds the busiest 60 s even when it straddles two clock minutes', () => {
    // 30 requests late in minute 0 and 30 early in minute 1: no clock minute holds more than 30, one sliding window holds 60.
    const times = [...Array.from({ length: 30 }, (_, i) => 50_000 + i * 100), ...Array.from({ length: 30 }, (_, i) => 61_000 + i * 100)];
    expect(peakInWindow(times, 60_000)).toBe(60);
  });

  it('does not count a request exactly one window after another in the same window', () => {
    expect(peakInWindow([0, 60_000, 120_000], 60_000)).toBe(1);
    expect(peakInWindow([], 60_000)).toBe(0);
  });
});

describe('sheetsTraffic', () => {
  it("counts only the service account's requests, 429s included, by kind and by minute", () => {
    const log = [
      entry(1, 0, 'read'),
      entry(2, 1_000, 'write'),
      entry(3, 2_000, 'write', 429),
      entry(4, 3_000, 'read', 200, 'someone-else'),
      entry(5, 61_000, 'read'),
    ];
    const t = sheetsTraffic(log, SA);
    expect(t).toMatchObject({ reads: 2, writes: 2, rejected: 1, peakReadsPerMinute: 1, peakWritesPerMinute: 2 });
    expect(t).toMatchObject({ spreadsheets: 1, medianWriteGapMs: null });
    expect(t.perMinute).toEqual([
      { reads: 1, writes: 2 },
      { reads: 1, writes: 0 },
    ]);
  });

  it("measures how often each spreadsheet was written, from its own answered writes", () => {
    const write = (seq: number, at: number, sheet: string, status = 200): SheetsRequestLogEntry => ({ ...entry(seq, at, 'write', status), spreadsheetId: sheet });
    // s1 at 0, 10, 30 s (gaps 10 and 20); s2 at 5 and 9 s (gap 4); a refused write is no flush.
    const log = [write(1, 0, 's1'), write(2, 5_000, 's2'), write(3, 9_000, 's2'), write(4, 10_000, 's1'), write(5, 20_000, 's1', 429), write(6, 30_000, 's1')];
    expect(sheetsTraffic(log, SA)).toMatchObject({ spreadsheets: 2, medianWriteGapMs: 10_000 });
  });
});

describe('boundMs', () => {
  it('is the rate limit or the window, whichever is slower', () => {
    // 20,000 calls at 10,000/min: 120 s; 20,000 s of latency over 50 workers: 400 s.
    expect(boundMs(20_000, 10_000, 20_000_000, 50)).toBe(400_000);
    expect(boundMs(20_000, 10_000, 20_000_000, 500)).toBe(120_000);
    expect(boundMs(20_000, 10_000, 20_000_000, Number.POSITIVE_INFINITY)).toBe(120_000);
  });
});
