// The targets DESIGN sets for Rowfill, checked against this run's numbers: printed, never failing the run.
import { int, megabytes, percent, ratio } from './format.js';
import { efficiency, isSkipped, rowsPerSecond, type Measurement, type ResultRow } from './measurement.js';

const MB = 1024 ** 2;

function find(rows: readonly ResultRow[], scenario: string, size?: number): Measurement | undefined {
  const row = rows.find((r) => r.scenario === scenario && r.contender.toLowerCase() === 'rowfill' && (size === undefined || r.rows === size));
  return row && !isSkipped(row) ? row : undefined;
}

const verdict = (met: boolean): string => (met ? 'met' : '**missed**');

export function targetLines(rows: readonly ResultRow[], overheadRows: number): string[] {
  const lines: string[] = [];
  const rate = find(rows, 'rate-bound');
  if (rate) {
    const e = efficiency(rate) ?? 0;
    const share = rate.modelCalls === 0 ? 0 : rate.rateLimited / rate.modelCalls;
    lines.push(`- rate-bound: efficiency ≥ 0.95 with < 1% of calls 429 — ${ratio(e)}, ${percent(rate.rateLimited, rate.modelCalls)}: ${verdict(e >= 0.95 && share < 0.01)}`);
  }
  const small = find(rows, 'engine overhead', overheadRows);
  if (small) {
    const speed = rowsPerSecond(small);
    lines.push(`- engine overhead (${int(overheadRows)} rows): ≥ 2,000 rows/s — ${int(speed)} rows/s: ${verdict(speed >= 2000)}`);
    if (overheadRows === 100_000) lines.push(`- engine overhead (100,000 rows): peak RSS ≤ 300 MB — ${megabytes(small.peakRssBytes)}: ${verdict(small.peakRssBytes <= 300 * MB)}`);
    else lines.push(`- engine overhead: peak RSS ≤ 300 MB is set for 100,000 rows; this run had ${int(overheadRows)} (${megabytes(small.peakRssBytes)})`);
  }
  const short = find(rows, 'short job');
  if (short) {
    const e = efficiency(short) ?? 0;
    lines.push(`- short job (${int(short.rows)} rows, issue 9): efficiency ≥ 0.95 of rows ÷ rpm — ${ratio(e)}: ${verdict(e >= 0.95)}`);
  }
  if (!small) return lines;
  const million = find(rows, 'engine overhead', 1_000_000);
  lines.push(million ? `- engine overhead (1,000,000 rows): peak RSS ≤ 500 MB — ${megabytes(million.peakRssBytes)}: ${verdict(million.peakRssBytes <= 500 * MB)}` : '- engine overhead (1,000,000 rows): peak RSS ≤ 500 MB — not run');
  return lines;
}
