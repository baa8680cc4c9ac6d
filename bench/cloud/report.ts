// The cloud scenario's own tables and its targets (issue 12 item 4): reported by the bench, never asserted.
import { int, megabytes, ratio, seconds } from '../lib/format.js';
import type { CloudCase, CloudResult } from './scenario.js';
import { CLOUD_JITTER_MS, CLOUD_LATENCY_MS, CLOUD_RPM, QUEUE, SHEETS_WRITE_INTERVAL_MS } from './settings.js';

const perRow = (n: number, rows: number): string => (n / Math.max(1, rows)).toFixed(2);

function rowsOf(c: CloudCase): number {
  return c.jobs * c.rowsPerJob;
}

function efficiencyOf(c: CloudCase): number {
  return c.makespanMs > 0 ? c.boundMs / c.makespanMs : 0;
}

function hottest(c: CloudCase): string {
  const hot = c.firestore?.hottest[0];
  if (!hot) return '—';
  return `\`${hot.path}\`: ${(hot.writes / (c.makespanMs / 1000)).toFixed(2)}/s average, ${hot.peakPerSecond} in its busiest second`;
}

function firstStatus(c: CloudCase): string {
  const seen = c.firstStatusMs.filter((ms): ms is number => ms !== null);
  const missing = c.firstStatusMs.length - seen.length;
  if (seen.length === 0) return 'none shown';
  const worst = Math.max(...seen);
  const best = Math.min(...seen);
  const range = seen.length > 1 && seconds(best) !== seconds(worst) ? `${seconds(best)}–${seconds(worst)}` : seconds(worst);
  return missing > 0 ? `${range} (${missing} sheets showed none)` : range;
}

function rowsCell(c: CloudCase): string {
  const lost = c.checks.reduce((sum, k) => sum + k.lost, 0);
  const wrong = c.checks.reduce((sum, k) => sum + k.wrong, 0);
  return `${int(rowsOf(c) - lost - wrong)} / ${int(lost)} / ${int(wrong)}`;
}

export function cloudConditions(result: CloudResult): string {
  const p = result.plan;
  return `- cloud: compose/cloud.ts (production engine defaults; a spreadsheet written at most every ${SHEETS_WRITE_INTERVAL_MS / 1000} s; the Sheets governor at ${result.quota.readsPerMinute} reads + ${result.quota.writesPerMinute} writes a minute, in Firestore, or in process over SQLite) in its own process, over Google's Firestore emulator or SQLite; Cloud Tasks, Sheets, Google sign-in and OpenAI stand-ins in the bench's process on 127.0.0.1. Model at ${int(CLOUD_RPM)} requests/min (no tokens/min limit, burst 1 s), latency ${CLOUD_LATENCY_MS / 1000} s ± ${CLOUD_JITTER_MS / 1000} s; jobs ask \`rpm: ${CLOUD_RPM}\` and ${typeof p.workers === 'number' ? `${p.workers} workers` : `workers "${p.workers}"`}; queue ${QUEUE.maxDispatchesPerSecond} dispatches/s, ${int(QUEUE.maxConcurrentDispatches)} concurrent; Sheets stand-in enforcing ${result.quota.readsPerMinute} reads + ${result.quota.writesPerMinute} writes a minute for the one service account. (a) one ${int(p.rows)}-row job on SQLite, then on Firestore; (b) ${p.jobs} jobs of ${int(p.jobRows)} rows on ${p.jobs} spreadsheets, started together, on Firestore. Makespan = first POST /v1/jobs → last job's finishedAt (completion follows the last flush); bound = max(answered calls ÷ rpm, Σ latency ÷ (workers × jobs)). The add-on's 2 s progress poll runs for each job. Firestore reads/commits are counted at the client's RPC funnel (documents returned, 1 for an empty query; commit RPCs answered OK). Code: ${result.code || 'unknown'}.`;
}

export function cloudTable(result: CloudResult): string {
  const q = result.quota;
  const engine = [
    '| Cloud case | Rows | Workers | At the model (mean) | Makespan | Bound | Efficiency | Firestore reads/row | Commits/row | Hottest document | Rows done / lost / wrong | Backend peak RSS, CPU |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...result.cases.map((c) => {
      const f = c.firestore;
      const rows = rowsOf(c);
      return `| ${c.name} | ${int(rows)} | ${c.workers}${c.jobs > 1 ? ` × ${c.jobs}` : ''} | ${c.meanAtModel.toFixed(1)} | ${seconds(c.makespanMs)} | ${seconds(c.boundMs)} | ${ratio(efficiencyOf(c))} | ${f ? perRow(f.documentReads, rows) : '—'} | ${f ? perRow(f.commits, rows) : '—'} | ${hottest(c)} | ${rowsCell(c)} | ${megabytes(c.peakRssBytes)}, ${seconds(c.cpuMs)} |`;
    }),
    ...result.skipped.map((k) => `| ${k.name} | ${k.reason} |${' |'.repeat(10)}`),
  ];
  const sheets = [
    '| Cloud case | Sheets reads + writes | Peak in any 60 s: reads / writes (quota) | Mean a minute | Answered 429 | Starts refused 429 | First status | A sheet written every (median) | Per minute from the first request: reads/writes |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...result.cases.map((c) => {
      const t = c.sheets;
      const gap = t.medianWriteGapMs === null ? '—' : seconds(t.medianWriteGapMs);
      const minutes = t.perMinute.map((m) => `${m.reads}/${m.writes}`).join(', ');
      return `| ${c.name} | ${int(t.reads)} + ${int(t.writes)} | ${t.peakReadsPerMinute} / ${t.peakWritesPerMinute} (${q.readsPerMinute} / ${q.writesPerMinute}) | ${t.meanPerMinute.toFixed(1)} | ${int(t.rejected)} | ${int(c.startsRefused.reduce((a, b) => a + b, 0))} | ${firstStatus(c)} | ${gap} | ${minutes} |`;
    }),
  ];
  return [...engine, '', ...sheets].join('\n');
}

const verdict = (met: boolean): string => (met ? 'met' : '**missed**');

export function cloudTargetLines(result: CloudResult): string[] {
  const lines: string[] = [];
  const sqlite = result.cases.find((c) => c.store === 'sqlite' && c.jobs === 1);
  const fire = result.cases.find((c) => c.store === 'firestore' && c.jobs === 1);
  const many = result.cases.find((c) => c.jobs > 1);
  if (fire) lines.push(`- cloud (a): efficiency ≥ 0.9 on Firestore — ${ratio(efficiencyOf(fire))}: ${verdict(efficiencyOf(fire) >= 0.9)}`);
  if (fire && sqlite) {
    const times = fire.makespanMs / sqlite.makespanMs;
    lines.push(`- cloud (a): Firestore makespan ≤ 2× SQLite's — ${seconds(fire.makespanMs)} vs ${seconds(sqlite.makespanMs)} (${times.toFixed(2)}×): ${verdict(times <= 2)}`);
  }
  if (many) {
    const q = result.quota;
    const within = many.sheets.peakReadsPerMinute <= q.readsPerMinute && many.sheets.peakWritesPerMinute <= q.writesPerMinute;
    lines.push(`- cloud (b): Sheets requests ≤ the quota in every minute — peak ${many.sheets.peakReadsPerMinute} reads and ${many.sheets.peakWritesPerMinute} writes in 60 s against ${q.readsPerMinute} + ${q.writesPerMinute} (${int(many.sheets.rejected)} answered 429): ${verdict(within)}`);
    const seen = many.firstStatusMs.filter((ms): ms is number => ms !== null);
    const worst = seen.length === many.firstStatusMs.length ? Math.max(...seen) : Infinity;
    const refusedStarts = many.startsRefused.reduce((a, b) => a + b, 0);
    lines.push(`- cloud (b): first status on every sheet ≤ 5 s — ${firstStatus(many)}${refusedStarts > 0 ? ` (${refusedStarts} starts refused 429 and clicked again)` : ''}: ${verdict(worst <= 5000)}`);
    const bad = many.checks.reduce((sum, k) => sum + k.lost + k.wrong, 0);
    lines.push(`- cloud (b): zero rows lost or on a wrong row — ${int(bad)} of ${int(rowsOf(many))}: ${verdict(bad === 0)}`);
  }
  return lines;
}
