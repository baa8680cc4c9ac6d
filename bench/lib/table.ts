// Renders the results as the one markdown table `npm run bench` prints.
import { int, megabytes, percent, ratio, seconds } from './format.js';
import { efficiency, isSkipped, rowsPerSecond, type Measurement, type ResultRow } from './measurement.js';

const HEADERS = ['Scenario', 'Contender', 'Rows', 'Makespan', 'Physical bound', 'Efficiency', '429s (% of calls)', 'Model calls', 'Sheet/file writes', 'Peak RSS', 'Notes'];

function makespanCell(m: Measurement): string {
  if (m.makespanMs !== m.measuredMakespanMs) return `~${seconds(m.makespanMs)} (extrapolated from ${int(m.measuredRows - m.failedRows)} rows)`;
  if (m.boundMs === null) return `${seconds(m.makespanMs)} (${int(rowsPerSecond(m))} rows/s)`;
  return seconds(m.makespanMs);
}

function cells(row: ResultRow): string[] {
  if (isSkipped(row)) return [row.scenario, row.contender, int(row.rows), row.skipped, '', '', '', '', '', '', ''];
  const m = row;
  const e = efficiency(m);
  return [
    m.scenario,
    m.contender,
    m.measuredRows < m.rows ? `${int(m.rows)} (${int(m.measuredRows)} run)` : int(m.rows),
    makespanCell(m),
    m.boundMs === null ? '— (no latency, no limits)' : seconds(m.boundMs),
    e === null ? '—' : ratio(e),
    `${int(m.rateLimited)} (${percent(m.rateLimited, m.modelCalls)})`,
    int(m.modelCalls),
    int(m.writeCalls),
    megabytes(m.peakRssBytes),
    m.notes.join('; '),
  ];
}

const escape = (cell: string): string => cell.replace(/\|/g, '\\|');

export function markdownTable(rows: readonly ResultRow[]): string {
  const lines = [HEADERS, HEADERS.map(() => '---'), ...rows.map(cells)];
  return lines.map((line) => `| ${line.map(escape).join(' | ')} |`).join('\n');
}
