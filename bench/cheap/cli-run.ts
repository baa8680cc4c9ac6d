// One `rowfill enrich --mode fast|cheap` from spawn to exit against a fresh OpenAI stand-in: the job's own spend, the stand-in's bill, time, peak RSS.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOpenAiStandIn } from '../../local/openai/server.js';
import { INPUTS, MODEL, OUTPUTS } from '../lib/job-config.js';
import { standInBill, type StandInBill } from './stand-in-bill.js';
import { watchChildPeakRss } from '../lib/peak-rss.js';

export type Mode = 'fast' | 'cheap';

/** The stand-in's answer delay in fast mode: cost does not depend on it, it only keeps the run realistic and short. */
export const FAST_LATENCY_MS = 50;
/** A batch's life in the stand-in (validating → in progress → finalizing → completed); OpenAI's is up to 24 h. */
export const BATCH_DELAY_MS = 1000;
/** How often the CLI polls an open batch (ROWFILL_BATCH_POLL_MS). */
export const BATCH_POLL_MS = 100;
export const CLI_WORKERS = 50;

export interface ModeRun {
  readonly mode: Mode;
  readonly rows: number;
  readonly doneRows: number;
  /** The job's own spend, as `rowfill enrich --json` reports it in its summary. */
  readonly spentUsd: number;
  readonly bill: StandInBill;
  /** Batches whose answers the stand-in logged. */
  readonly batches: number;
  readonly makespanMs: number;
  readonly peakRssBytes: number;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));


/** Runs the job on `csvPath` (rows already written) in one mode, with its state file and output in `dir`. */
export async function runMode(mode: Mode, csvPath: string, rows: number, dir: string): Promise<ModeRun> {
  const standIn = await startOpenAiStandIn({ latencyMs: FAST_LATENCY_MS, jitterMs: FAST_LATENCY_MS / 2, batchDelayMs: BATCH_DELAY_MS, seed: 7 });
  try {
    const args = [
      'bin/rowfill.js', 'enrich', csvPath,
      ...INPUTS.flatMap((c) => ['--input', c]),
      ...OUTPUTS.map((o) => ['--output', `${o.name}${'type' in o ? `:${o.type}` : ''}=${o.instruction}`]).flat(),
      '--model', MODEL, '--workers', String(CLI_WORKERS), '--budget', '100', '--mode', mode,
      '--out', join(dir, `out-${mode}.csv`), '--db', join(dir, `rowfill-${mode}.db`), '--json',
    ];
    const env = { ...process.env, OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: standIn.url, ROWFILL_LOG_LEVEL: 'silent', ROWFILL_BATCH_POLL_MS: String(BATCH_POLL_MS) };
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const peak = watchChildPeakRss(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A hang guard: generous for either mode at these sizes.
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000 + rows * 100);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    const makespanMs = performance.now() - started;
    const peakRssBytes = peak();
    const command = `rowfill enrich --mode ${mode}`;
    if (code !== 0) throw new Error(`${command} exited ${code}: ${(stderr.trim() || stdout.trim()).split('\n').slice(-3).join(' / ')}`);
    const summary = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type?: string; spentUsd?: number; done?: number; status?: string })
      .find((line) => line.type === 'summary');
    if (summary?.spentUsd === undefined) throw new Error(`${command} printed no summary with spentUsd: ${stdout.trim().split('\n').slice(-2).join(' / ')}`);
    if (summary.status !== 'completed') throw new Error(`${command} ended ${summary.status}, not completed`);
    // Batches that answered something, from the stand-in's own log.
    const batches = new Set(standIn.requestLog.map((e) => e.batchId).filter((id) => id !== undefined)).size;
    return { mode, rows, doneRows: summary.done ?? 0, spentUsd: summary.spentUsd, bill: standInBill(standIn.requestLog, MODEL), batches, makespanMs, peakRssBytes };
  } finally {
    await standIn.close();
  }
}

