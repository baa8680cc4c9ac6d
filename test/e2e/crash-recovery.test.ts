// A real crash test: the rowfill CLI enriching 2,000 rows is SIGKILLed three times at random moments and resumed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../backend/src/adapters/sqlite/sqlite-store.js';
import { parseJobConfig } from '../../backend/src/engine/job-config.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../local/openai/server.js';
import { expectedOutputs } from '../helpers/embedded-harness.js';

const ROWS = 2000;
const WORKERS = 16;
const BUDGET = 2;
const BIN = resolve('bin/rowfill.js');
const OUTPUTS = ['Category=Main product category', 'Founded:number=Year the brand was founded', 'Site:url=Official website'];

let dir: string;
let standIn: OpenAiStandIn;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rowfill-crash-'));
  const lines = ['Brand,Country'];
  for (let i = 0; i < ROWS; i++) lines.push(`Brand ${i},${i % 3 ? 'Japan' : 'Sweden'}`);
  writeFileSync(join(dir, 'rows.csv'), `${lines.join('\n')}\n`);
  standIn = await startOpenAiStandIn({ latencyMs: 40, jitterMs: 30, seed: 11 });
});

afterAll(async () => {
  await standIn.close();
  rmSync(dir, { recursive: true, force: true });
});

function rowfill(args: string[]): { child: ChildProcess; firstProgress: Promise<string | undefined>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args, '--db', join(dir, 'state.db'), '--json'], {
    cwd: dir,
    env: { ...process.env, OPENAI_API_KEY: 'sk-crash-test', OPENAI_BASE_URL: standIn.url, ROWFILL_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  const firstProgress = new Promise<string | undefined>((resolveJob) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n').slice(0, -1)) {
        const event = JSON.parse(line) as { type: string; jobId?: string; done?: number };
        if (event.type === 'progress' && (event.done ?? 0) > 0) resolveJob(event.jobId);
      }
    });
    child.on('exit', () => resolveJob(undefined));
  });
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, firstProgress, exit };
}

/** Rows the dead process had in flight: their calls may have been billed, so they may be billed again after resume. */
function runningRows(jobId: string): number {
  const db = openDatabase({ path: join(dir, 'state.db') });
  try {
    return (db.prepare("SELECT count(*) AS n FROM store_rows WHERE job_id = ? AND status = 'running'").get(jobId) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('crash recovery', () => {
  it('loses nothing and re-buys only in-flight rows when killed with SIGKILL three times', async () => {
    const enrichArgs = ['enrich', 'rows.csv', '--input', 'Brand', '--input', 'Country', ...OUTPUTS.flatMap((o) => ['--output', o]), '--workers', String(WORKERS), '--budget', String(BUDGET)];
    let jobId: string | undefined;
    let inFlightAtKills = 0;
    for (let kill = 0; kill < 3; kill++) {
      const run = rowfill(jobId ? ['resume', jobId] : enrichArgs);
      const seen = await run.firstProgress;
      jobId ??= seen;
      expect(jobId, 'the job started and made progress before the kill').toBeDefined();
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 1200));
      run.child.kill('SIGKILL');
      await run.exit;
      inFlightAtKills += runningRows(jobId!);
    }
    const last = rowfill(['resume', jobId!]);
    expect(await last.exit).toBe(0);

    const db = openDatabase({ path: join(dir, 'state.db') });
    const store = new SqliteStore(db);
    const counts = await store.counts(jobId!);
    const rows = await store.listRows({ jobId: jobId!, limit: ROWS + 1 });
    await store.close();
    db.close();

    expect(counts).toMatchObject({ total: ROWS, done: ROWS, failed: 0, queued: 0, running: 0 });
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    expect(counts.spentUsd).toBeLessThanOrEqual(BUDGET);
    expect(counts.reservedUsd).toBe(0);

    const billed = standIn.requestLog.filter((e) => e.billed);
    const perRow = new Map<string, number>();
    for (const e of billed) perRow.set(e.rowKey ?? '', (perRow.get(e.rowKey ?? '') ?? 0) + 1);
    expect(perRow.size).toBe(ROWS);
    expect(billed.length).toBeLessThanOrEqual(ROWS + inFlightAtKills);
    if (process.env.ROWFILL_TEST_FIGURES) console.info(`crash test: ${billed.length} billed for ${ROWS} rows, ${inFlightAtKills} in flight over 3 kills, spent $${counts.spentUsd.toFixed(4)}`);

    const out: Array<Record<string, string>> = parse(readFileSync(join(dir, 'rows.enriched.csv')), { columns: true });
    expect(out).toHaveLength(ROWS);
    const config = parseJobConfig({ inputs: ['Brand', 'Country'], outputs: [
      { name: 'Category', instruction: 'Main product category' },
      { name: 'Founded', instruction: 'Year the brand was founded', type: 'number' },
      { name: 'Site', instruction: 'Official website', type: 'url' },
    ], budgetUsd: 1 });
    for (const row of out) {
      expect(row.rowfill_status).toBe('done');
      const expected = expectedOutputs(config, { Brand: row.Brand!, Country: row.Country! });
      expect(row.Category).toBe(expected.Category);
      expect(Number(row.Founded)).toBe(expected.Founded);
      expect(row.Site).toBe(expected.Site);
    }
  }, 180_000);

  it('finishes a job killed while its rows were being read: resume stores the rest and runs every row exactly once', async () => {
    const INTAKE_ROWS = 50_000;
    const FIRST = 3; // --rows 3-… leaves row 2 out, so resume must honour the original selection
    const LIMIT = INTAKE_ROWS - 10; // and the original --limit
    // Most rows have an empty input: they are stored (failed as invalid) but cost no call, so the run after the
    // resume stays short while the intake is long enough to be killed in the middle.
    const EVERY = 25;
    const lines = ['Brand,Country,Notes'];
    for (let i = 0; i < INTAKE_ROWS; i++) lines.push(`${i % EVERY ? '' : `Intake brand ${i}`},${i % 3 ? 'Japan' : 'Sweden'},${'n'.repeat(200)}`);
    writeFileSync(join(dir, 'big.csv'), `${lines.join('\n')}\n`);
    const db = join(dir, 'intake.db');
    const intakeStandIn = await startOpenAiStandIn({ latencyMs: 0 });
    try {
      const env = { ...process.env, OPENAI_API_KEY: 'sk-crash-test', OPENAI_BASE_URL: intakeStandIn.url, ROWFILL_LOG_LEVEL: 'silent' };
      const args = ['enrich', 'big.csv', '--input', 'Brand', '--output', 'Category=Main product category', '--workers', '50', '--budget', '50', '--rows', `${FIRST}-${INTAKE_ROWS + 1}`, '--limit', String(LIMIT), '--db', db, '--json'];
      const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<void>((r) => child.on('exit', () => r()));
      // Kill as soon as the job exists in `preparing` with some of its rows stored.
      let stored = 0;
      for (let polls = 0; polls < 6000 && stored === 0; polls++) {
        await new Promise((r) => setTimeout(r, 10));
        stored = preparingRows(db);
        if (child.exitCode !== null) break;
      }
      child.kill('SIGKILL');
      await exited;
      expect(stored, 'the job was caught while preparing').toBeGreaterThan(0);
      const [job] = jobsIn(db);
      expect(job?.status).toBe('preparing');
      expect(job!.rows).toBeLessThan(LIMIT);
      expect(intakeStandIn.requestLog.filter((e) => e.billed)).toHaveLength(0);

      const resume = spawn(process.execPath, [BIN, 'resume', job!.id, '--db', db], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      resume.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const watchdog = setTimeout(() => resume.kill('SIGTERM'), 150_000); // a resume stuck at 0% fails instead of hanging
      const code = await new Promise<number | null>((r) => resume.on('exit', (c) => r(c)));
      clearTimeout(watchdog);
      expect(code, stderr).toBe(0);
      expect(stderr).toContain(`Job ${job!.id} was interrupted while its rows were being read`);

      const database = openDatabase({ path: db });
      const store = new SqliteStore(database);
      const counts = await store.counts(job!.id);
      const rows = await store.listRows({ jobId: job!.id, limit: INTAKE_ROWS + 1 });
      await store.close();
      database.close();
      // Rows 3 … LIMIT+2 are the file's data rows 2 … LIMIT+1 (i = 1 … LIMIT); those with a brand are i % EVERY === 0.
      const withBrand = Array.from({ length: LIMIT }, (_, k) => k + 1).filter((i) => i % EVERY === 0).length;
      expect(counts).toMatchObject({ total: LIMIT, done: withBrand, failed: LIMIT - withBrand, queued: 0, running: 0 });
      expect(rows.map((r) => r.rowNumber)).toEqual(Array.from({ length: LIMIT }, (_, i) => FIRST + i));
      expect(rows.filter((r) => r.status === 'failed').every((r) => r.errorClass === 'input_invalid')).toBe(true);
      const perRow = new Map<string, number>();
      for (const e of intakeStandIn.requestLog) if (e.billed) perRow.set(e.rowKey ?? '', (perRow.get(e.rowKey ?? '') ?? 0) + 1);
      expect(perRow.size).toBe(withBrand);
      expect([...perRow.values()].every((n) => n === 1)).toBe(true);
      const out: Array<Record<string, string>> = parse(readFileSync(join(dir, 'big.enriched.csv')), { columns: true });
      expect(out).toHaveLength(INTAKE_ROWS);
      expect(out.filter((r) => r.rowfill_status === 'done').map((r) => r.Brand)).toEqual(rows.filter((r) => r.status === 'done').map((r) => r.inputs.Brand));
    } finally {
      await intakeStandIn.close();
    }
  }, 300_000);
});

/** Rows stored so far for a job still in `preparing` (0 when there is none yet), read beside the writing process. */
function preparingRows(path: string): number {
  return jobsIn(path).find((j) => j.status === 'preparing')?.rows ?? 0;
}

function jobsIn(path: string): Array<{ id: string; status: string; rows: number }> {
  let db: ReturnType<typeof openDatabase> | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return db.prepare('SELECT j.id AS id, j.status AS status, (SELECT count(*) FROM store_rows r WHERE r.job_id = j.id) AS rows FROM store_jobs j').all() as Array<{ id: string; status: string; rows: number }>;
  } catch {
    return []; // not created yet, or its schema not yet written
  } finally {
    db?.close();
  }
}
