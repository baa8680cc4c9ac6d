// The engine-overhead scenario: 100k rows (and optionally 1M) through the real engine with an instant in-process model.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from '../lib/child-process.js';
import { int, megabytes, seconds } from '../lib/format.js';
import { writeInputCsv } from '../lib/input-csv.js';
import type { Measurement, ResultRow } from '../lib/measurement.js';
import type { OverheadInput, OverheadResult } from './overhead-case.js';

export const SCENARIO = 'engine overhead';
const MILLION = 1_000_000;
/** Slower than this is a broken engine, not a slow one: the child is stopped rather than let run for ever. */
const SLOWEST_ROWS_PER_SECOND = 100;

export interface OverheadPlan {
  readonly rows: number;
  /** 'auto' runs the million only if the first run says it fits before `deadline`. */
  readonly million: 'yes' | 'no' | 'auto';
  /** Epoch ms by which the whole bench should be done. */
  readonly deadline: number;
  /** Write V8 CPU profiles of the children here. */
  readonly cpuProfDir?: string | undefined;
}

export async function runOverhead(plan: OverheadPlan, progress: (line: string) => void): Promise<ResultRow[]> {
  const first = await runCase(plan.rows, plan.cpuProfDir, progress);
  const results: ResultRow[] = [first];
  if (plan.million === 'no') {
    results.push({ scenario: SCENARIO, contender: 'Rowfill', rows: MILLION, skipped: 'skipped (use --million)' });
    return results;
  }
  // Time per row grows with the table (SQLite B-trees, WAL): 1M rows measured 1.7× the linear estimate from 100k, so 1.8×.
  const forecastMs = first.measuredMakespanMs * (MILLION / first.measuredRows) * 1.8;
  if (plan.million === 'auto' && Date.now() + forecastMs > plan.deadline) {
    progress(`engine overhead: 1M rows would take ~${seconds(forecastMs)}, past the time budget; skipping`);
    results.push({ scenario: SCENARIO, contender: 'Rowfill', rows: MILLION, skipped: `skipped (use --million; forecast ~${seconds(forecastMs)})` });
    return results;
  }
  results.push(await runCase(MILLION, plan.cpuProfDir, progress));
  return results;
}

async function runCase(rows: number, cpuProfDir: string | undefined, progress: (line: string) => void): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-bench-overhead-'));
  try {
    const csvPath = join(dir, 'input.csv');
    await writeInputCsv(csvPath, rows);
    progress(`engine overhead: ${int(rows)} rows…`);
    const timeoutMs = (rows / SLOWEST_ROWS_PER_SECOND) * 1000 + 120_000;
    const input: OverheadInput = { csvPath, workDir: dir, timeoutMs };
    const r = await runChild<OverheadInput, OverheadResult>('overhead/overhead-child.ts', input, { timeoutMs: timeoutMs + 60_000, cpuProfDir });
    const rate = r.rows / (r.endToEndMs / 1000);
    progress(`engine overhead: ${int(rows)} rows in ${seconds(r.endToEndMs)} (${int(rate)} rows/s)`);
    const notes = [`${int(rate)} rows/s end to end: read + intake ${seconds(r.intakeMs)}, run to settled ${seconds(r.runMs)}, CSV write ${seconds(r.writeMs)}`];
    notes.push(`${megabytes(r.loadedRssBytes)} of the peak is the child with its code loaded under tsx, before any row`);
    notes.push(`CPU ${seconds(r.cpuUserMs)} user + ${seconds(r.cpuSystemMs)} system`);
    if (r.diskWriteBytes !== null) notes.push(`${megabytes(r.diskWriteBytes)} written to disk (${int(r.diskWriteBytes / 1024 / Math.max(1, r.rows))} KB per row)`);
    if (r.failedRows > 0) notes.push(`${int(r.failedRows)} rows not done`);
    return {
      scenario: SCENARIO,
      contender: 'Rowfill',
      rows,
      measuredRows: r.rows,
      measuredMakespanMs: r.endToEndMs,
      makespanMs: r.endToEndMs,
      boundMs: null,
      modelCalls: r.modelCalls,
      rateLimited: 0,
      writeCalls: 1,
      peakRssBytes: r.peakRssBytes,
      failedRows: r.failedRows,
      notes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
