// The start-up scenario: `rowfill --version`, `rowfill status` on a big state file and the server's first /healthz, run through tsx and compiled.
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from '../lib/child-process.js';
import { int, seconds } from '../lib/format.js';
import { writeInputCsv } from '../lib/input-csv.js';
import type { MakeDbInput } from './make-db-child.js';
import { freePort } from '../lib/free-port.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The goal issue 11 sets for `rowfill --version` on the bench machine. */
export const VERSION_GOAL_MS = 300;
const RUNS = { version: 5, status: 3, server: 3 } as const;

export type StartupMode = 'tsx' | 'compiled';

export interface StartupCase {
  readonly name: string;
  /** Median wall time per mode, ms; null when the case could not run. */
  readonly ms: Readonly<Record<StartupMode, number | null>>;
  readonly runs: number;
}

export interface StartupResult {
  readonly stateRows: number;
  readonly cases: readonly StartupCase[];
}

/** How each mode starts the CLI and the server: through tsx as bin/rowfill.js did before, or the esbuild output it runs now. */
const CLI: Readonly<Record<StartupMode, readonly string[]>> = {
  tsx: ['--import', 'tsx', 'backend/src/cli/main.ts'],
  compiled: ['bin/rowfill.js'],
};
function serverArgs(mode: StartupMode): string[] {
  if (mode === 'tsx') return ['--import', 'tsx', 'backend/src/http/server.ts'];
  // As the image's CMD runs it (backend/Dockerfile). dist/app is a link to the current build; the server starts only
  // when node is given its real path (its import.meta.url === argv[1] check).
  return ['--enable-source-maps', join(realpathSync(join(REPO_ROOT, 'dist/app')), 'server.js')];
}

/** A Cloud Run configuration that passes validation; nothing here is contacted before a request needs it. */
const CLOUD_ENV = {
  ROWFILL_MODE: 'cloud',
  ROWFILL_SERVICE_URL: 'https://rowfill-bench.example.run.app',
  ROWFILL_ADDON_CLIENT_IDS: '1234-bench.apps.googleusercontent.com',
  ROWFILL_ALLOWLIST: 'example.com',
  ROWFILL_TASKS_SERVICE_ACCOUNT: 'rowfill-tasks@bench-project.iam.gserviceaccount.com',
  GOOGLE_CLOUD_PROJECT: 'bench-project',
  ROWFILL_TASKS_LOCATION: 'europe-west1',
  ROWFILL_TASKS_QUEUE: 'rowfill-rows',
  ROWFILL_SHEETS_SERVICE_ACCOUNT: 'rowfill-runtime@bench-project.iam.gserviceaccount.com',
  OPENAI_API_KEY: 'sk-bench',
  // Loopback addresses, so a stray client call could never leave the machine.
  FIRESTORE_EMULATOR_HOST: '127.0.0.1:9',
  ROWFILL_LOG_LEVEL: 'silent',
};

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Wall time of one process from spawn to exit; it must exit 0 within the time limit. */
function timeProcess(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited ${signal ?? code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`));
    });
  });
}


/** From spawn to the first 200 on /healthz, polled every 10 ms; the server is stopped after. */
async function timeServer(args: readonly string[]): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...args], { cwd: REPO_ROOT, env: { ...process.env, ...CLOUD_ENV, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  try {
    const deadline = started + 60_000;
    while (performance.now() < deadline) {
      if (exited) throw new Error(`the server exited before answering /healthz: ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (response.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the server did not answer /healthz within 60 s');
  } finally {
    child.kill('SIGKILL');
  }
}

async function measure(name: string, runs: number, once: (mode: StartupMode) => Promise<number>, progress: (line: string) => void): Promise<StartupCase> {
  const ms: Record<StartupMode, number | null> = { tsx: null, compiled: null };
  for (const mode of ['tsx', 'compiled'] as const) {
    try {
      await once(mode); // warm the file cache, so both modes start from the same disk state
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) samples.push(await once(mode));
      ms[mode] = median(samples);
    } catch (error) {
      progress(`start-up: ${name} (${mode}) failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { name, ms, runs };
}

export async function runStartup(plan: { readonly stateRows: number }, progress: (line: string) => void): Promise<StartupResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-bench-startup-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, ROWFILL_LOG_LEVEL: 'silent' };
    delete env.OPENAI_API_KEY;
    const dbPath = join(dir, 'rowfill.db');
    progress(`start-up: a state file with one finished ${int(plan.stateRows)}-row job…`);
    const csvPath = join(dir, 'input.csv');
    await writeInputCsv(csvPath, plan.stateRows);
    const input: MakeDbInput = { csvPath, dbPath, outPath: join(dir, 'out.csv'), timeoutMs: 600_000 };
    await runChild('startup/make-db-child.ts', input, { timeoutMs: 600_000 });
    progress('start-up: rowfill --version, status, jobs and the server, through tsx and compiled…');
    const cli = (args: readonly string[]) => (mode: StartupMode) => timeProcess([...CLI[mode], ...args], env);
    const cases = [
      await measure('`node -e 0` (Node alone, the floor)', RUNS.version, () => timeProcess(['-e', '0'], env), progress),
      await measure('`rowfill --version`', RUNS.version, cli(['--version']), progress),
      await measure(`\`rowfill status\` (${int(plan.stateRows)}-row job)`, RUNS.status, cli(['status', '--db', dbPath]), progress),
      await measure(`\`rowfill jobs\` (${int(plan.stateRows)}-row job)`, RUNS.status, cli(['jobs', '--db', dbPath]), progress),
      await measure('server: process start → first `/healthz` 200', RUNS.server, (mode) => timeServer(serverArgs(mode)), progress),
    ];
    return { stateRows: plan.stateRows, cases };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function startupTable(result: StartupResult): string {
  const cell = (ms: number | null) => (ms === null ? 'failed' : seconds(ms));
  const lines = [
    '| Start-up | through tsx | compiled (`dist/app`) | Runs (median) |',
    '| --- | --- | --- | --- |',
    ...result.cases.map((c) => `| ${c.name} | ${cell(c.ms.tsx)} | ${cell(c.ms.compiled)} | ${c.runs} |`),
  ];
  return lines.join('\n');
}

export function startupTargetLine(result: StartupResult): string | undefined {
  const version = result.cases.find((c) => c.name === '`rowfill --version`')?.ms.compiled;
  if (version === undefined || version === null) return undefined;
  return `- start-up: \`rowfill --version\` ≤ ${seconds(VERSION_GOAL_MS)} — ${seconds(version)}: ${version <= VERSION_GOAL_MS ? 'met' : '**missed**'}`;
}
