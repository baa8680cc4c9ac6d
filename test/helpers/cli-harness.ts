// Test wiring for the `rowfill` CLI: in-process runs with captured streams, child-process runs, temp workspaces,
// a stand-in the test controls, and readers for the files the CLI writes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll } from 'vitest';
import { runCli } from '../../backend/src/cli/main.js';
import type { CliIo } from '../../backend/src/cli/cli-io.js';
import type { OutputSpec } from '../../backend/src/ports/domain.js';
import { startOpenAiStandIn, type OpenAiStandIn, type OpenAiStandInOptions } from '../../local/openai/server.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(REPO_ROOT, 'bin', 'rowfill.js');

/** A writable that keeps everything written to it, typed as the terminal stream the CLI expects (never a TTY). */
class CaptureStream extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    callback();
  }
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Runs `rowfill <argv>` in this process, as a user would type it, with only `env` as its environment. */
export async function rowfill(argv: readonly string[], env: Env = {}): Promise<CliResult> {
  const stdout = new CaptureStream();
  const stderr = new CaptureStream();
  const io: CliIo = { stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream, env: { ROWFILL_LOG_LEVEL: 'error', ...env } };
  const code = await runCli(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The non-empty lines of a stream's text. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/**
 * Every complete stdout line parsed as JSON (throws on a line that is not). A last line not yet ended by a newline
 * is still being written by a running process and is left out.
 */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Resolves like `promise`, or rejects naming `what` if it takes longer than `ms` (a hang guard, not a timing check). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The job id a run announced ("Job job_…: …" on stderr, or a JSON line's jobId). */
export function jobIdOf(result: Pick<CliResult, 'stdout' | 'stderr'>): string {
  const match = /\b(job_[0-9a-f]+)\b/.exec(result.stderr) ?? /"jobId":"(job_[0-9a-f]+)"/.exec(result.stdout);
  if (!match?.[1]) throw new Error(`no job id in output:\n${result.stderr}\n${result.stdout}`);
  return match[1];
}

export interface Workspace {
  readonly dir: string;
  /** `--db` path for this test. */
  readonly db: string;
  path(name: string): string;
  write(name: string, content: string | Buffer): string;
  /** File names in the workspace (hidden temp files included), sorted. */
  files(): string[];
}

export interface CliTestContext {
  /** A fresh temp dir with its own state file, removed after the test. */
  workspace(): Workspace;
  /** A stand-in on 127.0.0.1 this test controls, closed after the test. */
  standIn(options?: OpenAiStandInOptions): Promise<OpenAiStandIn>;
  /** Track a child process so it is killed if the test ends early. */
  track(child: ChildProcess): void;
}

/**
 * Call once per test file, at the top level: registers the cleanup. Cleanup runs after the file's last test rather
 * than after each one, so tests in a `describe.concurrent` block never lose a workspace another test still uses.
 */
export function cliTestContext(): CliTestContext {
  const dirs: string[] = [];
  const standIns: OpenAiStandIn[] = [];
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(standIns.splice(0).map((s) => s.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    workspace() {
      const dir = mkdtempSync(join(tmpdir(), 'rowfill-cli-'));
      dirs.push(dir);
      return {
        dir,
        db: join(dir, 'state.db'),
        path: (name) => join(dir, name),
        write(name, content) {
          const path = join(dir, name);
          writeFileSync(path, content);
          return path;
        },
        files: () => readdirSync(dir).sort(),
      };
    },
    async standIn(options = {}) {
      const standIn = await startOpenAiStandIn(options);
      standIns.push(standIn);
      return standIn;
    },
    track(child) {
      children.push(child);
    },
  };
}

/** Environment pointing the CLI at a stand-in the test controls, so the test can read its request log. */
export function modelEnv(standIn: OpenAiStandIn, extra: Env = {}): Env {
  return { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: standIn.url, ROWFILL_LOG_LEVEL: 'error', ...extra };
}

export const BRANDS = ['Patagonia', 'Lego', 'IKEA', 'Nintendo', 'Heineken', 'Adidas', 'Muji', 'Zara', 'Rolex', 'Volvo'];

/** `n` data rows with distinct inputs (so the answer cache never collapses two of them). */
export function brandRows(n: number): Array<{ Brand: string; Country: string }> {
  return Array.from({ length: n }, (_, i) => ({ Brand: `${BRANDS[i % BRANDS.length]} ${i + 1}`, Country: i % 2 ? 'Sweden' : 'Japan' }));
}

/** A plain `Brand,Country` CSV with LF line endings. */
export function brandsCsv(n: number): string {
  return ['Brand,Country', ...brandRows(n).map((r) => `${r.Brand},${r.Country}`)].join('\n') + '\n';
}

/** The two output columns most tests use, as command-line flags. */
export const OUTPUT_FLAGS = ['--output', 'Category=Main product category', '--output', 'Founded:number=Year the brand was founded'] as const;
export const OUTPUT_SPECS: readonly OutputSpec[] = [
  { name: 'Category', instruction: 'Main product category', type: 'text' },
  { name: 'Founded', instruction: 'Year the brand was founded', type: 'number' },
];

/** A CSV file's records as objects keyed by header (every value a string, as in the file). */
export function readCsv(path: string): Array<Record<string, string>> {
  return parse<Record<string, string>>(readFileSync(path), { columns: true, relax_column_count: true, bom: true });
}

export { existsSync };

/** Billed chat completions per row (rowKey → count). */
export function billedPerRow(standIn: OpenAiStandIn): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of standIn.requestLog) {
    if (!entry.billed || entry.rowKey === null) continue;
    counts.set(entry.rowKey, (counts.get(entry.rowKey) ?? 0) + 1);
  }
  return counts;
}

export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface ChildRun {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or 128 + signal number when killed by a signal). */
  readonly exited: Promise<number>;
}

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Starts `node bin/rowfill.js <argv>` as a real process in `cwd`, with a clean environment plus `env`. */
export function spawnRowfill(argv: readonly string[], options: { cwd: string; env: Env }): ChildRun {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? options.cwd, ROWFILL_LOG_LEVEL: 'error' };
  for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  const child = spawn(process.execPath, [BIN, ...argv], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number>((resolveExit, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolveExit(code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0)));
  });
  if (child.pid === undefined) throw new Error('rowfill child did not start');
  return { child, pid: child.pid, stdout: () => out, stderr: () => err, exited };
}

/** The pid of a process that has already exited (what a crashed rowfill leaves in its lock file). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((r) => child.once('close', r));
  if (child.pid === undefined) throw new Error('could not start a process');
  return child.pid;
}
