// The short-job scenario (issue 9 item 18): `rowfill enrich` as a user runs it, a 600-row file at 1,200 requests/min, end to end.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOpenAiStandIn } from '../../local/openai/server.js';
import { seconds } from '../lib/format.js';
import { writeInputCsv } from '../lib/input-csv.js';
import { INPUTS, MODEL, OUTPUTS } from '../lib/job-config.js';
import type { Measurement } from '../lib/measurement.js';
import { logStats } from '../rate-bound/log-stats.js';
import { JITTER_MS, LATENCY_MS, WORKERS } from '../rate-bound/settings.js';
import { watchChildPeakRss } from '../lib/peak-rss.js';

export const SCENARIO = 'short job';
export const SHORT_JOB_ROWS = 600;
export const SHORT_JOB_RPM = 1200;

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));


/**
 * One run of the compiled CLI from spawn to exit: start-up, the key check, intake, every row, the output file. The
 * stand-in's log says where the time went: before the first model call, between the first and the last, after it.
 */
export async function runShortJob(progress: (line: string) => void, rows = SHORT_JOB_ROWS, rpm = SHORT_JOB_RPM): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-bench-short-'));
  // No tokens/min limit: the requests/min limit alone bounds the job, as in the issue.
  const standIn = await startOpenAiStandIn({ rpm, tpm: null, burstSeconds: 1, latencyMs: LATENCY_MS, jitterMs: JITTER_MS, seed: 7 });
  try {
    const csvPath = join(dir, 'input.csv');
    await writeInputCsv(csvPath, rows);
    progress(`short job: rowfill enrich, ${rows} rows at ${rpm} requests/min…`);
    const args = [
      'bin/rowfill.js', 'enrich', csvPath,
      ...INPUTS.flatMap((c) => ['--input', c]),
      ...OUTPUTS.map((o) => ['--output', `${o.name}${'type' in o ? `:${o.type}` : ''}=${o.instruction}`]).flat(),
      '--model', MODEL, '--workers', String(WORKERS), '--rpm', String(rpm), '--budget', '100',
      '--out', join(dir, 'out.csv'), '--db', join(dir, 'rowfill.db'), '--json',
    ];
    const env = { ...process.env, OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: standIn.url, ROWFILL_LOG_LEVEL: 'silent' };
    const startedAt = Date.now();
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const peak = watchChildPeakRss(child.pid);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), (rows / rpm) * 60_000 * 3 + 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    const makespanMs = performance.now() - started;
    const peakRssBytes = peak();
    if (code !== 0) throw new Error(`rowfill enrich exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
    const log = standIn.requestLog;
    const stats = logStats(log);
    const first = Math.min(...log.map((e) => e.at));
    const last = Math.max(...log.map((e) => e.at));
    const lastAnswer = Math.max(...log.map((e) => e.at + e.latencyMs));
    const answered = log.filter((e) => e.billed).length;
    return {
      scenario: SCENARIO,
      contender: 'Rowfill',
      rows,
      measuredRows: rows,
      measuredMakespanMs: makespanMs,
      makespanMs,
      boundMs: (rows / rpm) * 60_000,
      modelCalls: stats.calls,
      rateLimited: stats.rateLimited,
      writeCalls: 1,
      peakRssBytes,
      failedRows: Math.max(0, rows - answered),
      notes: [
        `\`rowfill enrich\` from spawn to exit, at ${rpm} requests/min (no tokens/min limit), ${WORKERS} workers`,
        `first model call at ${seconds(first - startedAt)} (start-up, key check, intake)`,
        `calls for ${seconds(last - first)}`,
        `last answer at ${seconds(lastAnswer - startedAt)}`,
        `exit ${seconds(Math.max(0, startedAt + makespanMs - lastAnswer))} after it (end of job, output file)`,
      ],
    };
  } finally {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
