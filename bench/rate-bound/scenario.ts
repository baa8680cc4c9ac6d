// The rate-bound scenario: each contender in its own child process against its own fresh stand-in, same settings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAiStandIn } from '../../local/openai/server.js';
import { runChild } from '../lib/child-process.js';
import { int, seconds } from '../lib/format.js';
import { writeInputCsv } from '../lib/input-csv.js';
import type { Measurement } from '../lib/measurement.js';
import type { ContenderInput, ContenderName, ContenderResult } from './contender.js';
import { logStats } from './log-stats.js';
import { physicalBoundMs, RPM, STAND_IN } from './settings.js';

export const SCENARIO = 'rate-bound';

export interface RateBoundPlan {
  readonly rows: number;
  /** Rows each contender actually runs; fewer than `rows` is extrapolated linearly. */
  readonly samples: Readonly<Record<ContenderName, number>>;
}

/**
 * The two light baselines (one and ten requests in flight, mostly waiting on latency) run beside Rowfill, each on its
 * own stand-in, so the default run fits 15 minutes on 2 cores; the unthrottled storm is CPU-heavy and runs alone.
 */
const PHASES: readonly (readonly ContenderName[])[] = [['rowfill', 'sequential', 'chunk-and-wait'], ['unthrottled']];

export const DISPLAY_NAMES: Readonly<Record<ContenderName, string>> = {
  rowfill: 'Rowfill',
  sequential: 'sequential',
  'chunk-and-wait': 'chunk-and-wait (10)',
  unthrottled: 'unthrottled Promise.all',
};

/** How long a contender may take before it gives up: generous multiples of what the limits allow. */
function giveUpAfterMs(contender: ContenderName, rows: number): number {
  const rateMs = (rows / RPM) * 60_000;
  switch (contender) {
    case 'rowfill':
      return 2 * rateMs + 60_000;
    case 'sequential':
      return rows * 2500 + 60_000;
    case 'chunk-and-wait':
      return (rows / 10) * 3000 + 60_000;
    case 'unthrottled':
      return 3 * rateMs + 180_000;
  }
}

export async function runRateBound(plan: RateBoundPlan, progress: (line: string) => void): Promise<Measurement[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-bench-rate-'));
  try {
    const csvPath = join(dir, 'input.csv');
    await writeInputCsv(csvPath, plan.rows);
    const results: Measurement[] = [];
    for (const phase of PHASES) {
      const together = phase.length > 1 ? phase : [];
      results.push(...(await Promise.all(phase.map((c) => runContender(c, plan, csvPath, dir, together, progress)))));
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runContender(
  contender: ContenderName,
  plan: RateBoundPlan,
  csvPath: string,
  dir: string,
  together: readonly ContenderName[],
  progress: (line: string) => void,
): Promise<Measurement> {
  const rows = Math.min(plan.samples[contender], plan.rows);
  const workDir = mkdtempSync(join(dir, `${contender}-`));
  const standIn = await startOpenAiStandIn(STAND_IN);
  try {
    progress(`rate-bound: ${contender} on ${int(rows)} rows…`);
    const budget = giveUpAfterMs(contender, rows);
    const input: ContenderInput = { contender, baseURL: standIn.url, csvPath, rows, workDir, giveUpAfterMs: budget };
    const result = await runChild<ContenderInput, ContenderResult>('rate-bound/contender-child.ts', input, { timeoutMs: budget + 60_000 });
    const stats = logStats(standIn.requestLog);
    progress(`rate-bound: ${contender} done in ${seconds(result.makespanMs)} (${stats.calls} calls, ${stats.rateLimited} × 429)`);
    // Scaled by rows answered, not rows tried: a contender that gives up on rows must not look faster for it.
    const scale = plan.rows / Math.max(1, result.doneRows);
    const notes: string[] = [];
    if (scale !== 1) notes.push(`extrapolated linearly from ${int(result.doneRows)} rows answered in ${seconds(result.makespanMs)}; counts are for the ${int(rows)} rows run`);
    if (result.failedRows > 0) notes.push(`${int(result.failedRows)} of ${int(rows)} rows failed (retries exhausted)`);
    const others = together.filter((c) => c !== contender);
    if (others.length > 0) notes.push(`ran alongside ${others.map((c) => DISPLAY_NAMES[c]).join(' and ')} (each on its own stand-in)`);
    return {
      scenario: SCENARIO,
      contender: DISPLAY_NAMES[contender],
      rows: plan.rows,
      measuredRows: rows,
      measuredMakespanMs: result.makespanMs,
      makespanMs: result.makespanMs * scale,
      boundMs: physicalBoundMs(plan.rows, stats.tokensPerCall),
      modelCalls: stats.calls,
      rateLimited: stats.rateLimited,
      writeCalls: result.writeCalls,
      peakRssBytes: result.peakRssBytes,
      failedRows: result.failedRows,
      notes,
    };
  } finally {
    await standIn.close();
  }
}
