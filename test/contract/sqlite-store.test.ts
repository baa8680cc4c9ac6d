// Runs the Store contract against SQLite files, plus what only SQLite has: several processes on one file, bulk loads.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { STORE_SCHEMA_VERSION } from '../../backend/src/adapters/sqlite/schema.js';
import { SqliteStore } from '../../backend/src/adapters/sqlite/sqlite-store.js';
import type { Store } from '../../backend/src/ports/store.js';
import type { RaceOptions, RaceReport } from './helpers/race-claims.js';
import { CONFIG, T0, newJob, newRows, startJob } from './helpers/store-fixtures.js';
import { expectCountersMatchRows } from './helpers/store-invariants.js';
import type { StoreHarness } from './helpers/store-harness.js';
import { describeStoreContract } from './store.contract.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RACE_WORKER = fileURLToPath(new URL('./helpers/sqlite-race-worker.ts', import.meta.url));
const CRASH_WORKER = fileURLToPath(new URL('./helpers/sqlite-crash-worker.ts', import.meta.url));

/** A temp folder with one SQLite file; every store opened on it gets its own connection, as separate processes would. */
function sqliteHarness(): StoreHarness & { readonly path: string; reopen(): Promise<Store> } {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-store-'));
  const path = join(dir, 'rowfill.sqlite');
  const opened: Store[] = [];
  const open = (): Store => {
    const store = new SqliteStore(openDatabase({ path }), { closeDatabase: true });
    opened.push(store);
    return store;
  };
  return {
    path,
    store: open(),
    reopen: () => Promise.resolve(open()),
    async cleanup() {
      for (const store of opened) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeStoreContract('SQLite', () => Promise.resolve(sqliteHarness()));

interface RaceWorker {
  /** Resolves once the worker has its connection open and waits at the start barrier. */
  readonly ready: Promise<void>;
  readonly go: () => void;
  readonly report: Promise<RaceReport>;
}

function startWorker(path: string, options: RaceOptions): RaceWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', RACE_WORKER, path, JSON.stringify(options)], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const report = new Promise<RaceReport>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`race worker exited with ${String(code)}: ${stderr}`));
      else resolve(JSON.parse(stdout.slice('ready\n'.length).trim()) as RaceReport);
    });
  });
  return { ready: Promise.race([ready, report.then(() => undefined)]), go: () => child.stdin.end('go\n'), report };
}

describe('SqliteStore on one file shared by several processes', () => {
  let harness: ReturnType<typeof sqliteHarness>;
  beforeEach(() => {
    harness = sqliteHarness();
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  it('4 processes racing claims and finishes never overspend the budget and finish each row once', async () => {
    // Budget $1, reserve $0.01, actual cost $0.006: a claim fits while spent ≤ $0.99, so exactly 166 rows can finish.
    const { jobId } = await startJob(harness.store, { rows: 200, budgetUsd: 1 });
    const slots = await harness.store.dispatchRows({ jobId, maxInFlight: 200, limit: 200, now: T0 });
    const rowIds = slots.map((slot) => slot.rowId);
    const workers = [1, 2, 3, 4].map((seed) => startWorker(harness.path, { jobId, rowIds, reserveUsd: 0.01, costUsd: 0.006, seed }));
    try {
      await Promise.all(workers.map((worker) => worker.ready));
    } finally {
      for (const worker of workers) worker.go();
    }
    const reports = await Promise.all(workers.map((worker) => worker.report));

    const finished = reports.flatMap((report) => report.finished);
    expect(new Set(finished).size).toBe(finished.length);
    expect(finished).toHaveLength(166);
    expect(reports.every((report) => report.duplicateFinishes === 0)).toBe(true);
    expect(Math.max(...reports.map((report) => report.maxCommittedNanos))).toBeLessThanOrEqual(1e9);
    expect(reports.reduce((sum, report) => sum + report.budgetRefusals, 0)).toBeGreaterThan(0);

    const reopened = await harness.reopen();
    expect(await reopened.counts(jobId)).toMatchObject({ done: 166, queued: 34, running: 0, reservedUsd: 0, spentUsd: 0.996 });
    const done = await reopened.listRows({ jobId, limit: 500, statuses: ['done'] });
    expect(done.map((row) => row.rowId).sort()).toEqual([...finished].sort());
    expect(done.every((row) => row.attempt === 1 && row.costUsd === 0.006)).toBe(true);
  });
});

/** Starts the crash worker and resolves once it has finished some rows, with the child still running. */
function startCrashWorker(path: string, jobId: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CRASH_WORKER, path, jobId], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('progress')) resolve(child);
    });
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`crash worker exited early with ${String(code)}: ${stderr}`)));
  });
}

describe('SqliteStore after kill -9', () => {
  let harness: ReturnType<typeof sqliteHarness>;
  beforeEach(() => {
    harness = sqliteHarness();
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  it('keeps every committed step: counters match the rows, and the dead leases’ reservations become spend', async () => {
    const { jobId } = await startJob(harness.store, { rows: 5_000, budgetUsd: 100 });
    const child = await startCrashWorker(harness.path, jobId);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const restarted = await harness.reopen();
    await expectCountersMatchRows(restarted, jobId);
    const before = await restarted.counts(jobId);
    expect(before.done).toBeGreaterThanOrEqual(50);
    expect(before.running).toBeGreaterThan(0);
    expect(before.reservedUsd).toBeGreaterThan(0);

    expect(await restarted.expireLeases(jobId, Number.POSITIVE_INFINITY)).toBe(before.running);
    const after = await restarted.counts(jobId);
    expect(after).toMatchObject({ running: 0, reservedUsd: 0, done: before.done, queued: before.queued + before.running });
    expect(Math.round(after.spentUsd * 1e9)).toBe(Math.round((before.spentUsd + before.reservedUsd) * 1e9));
    await expectCountersMatchRows(restarted, jobId);
  });
});

describe('SqliteStore', () => {
  let harness: ReturnType<typeof sqliteHarness>;
  beforeEach(() => {
    harness = sqliteHarness();
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  it('adds 100,000 rows in large batches and counts them all', async () => {
    const job = newJob();
    await harness.store.createJob(job, T0);
    for (let first = 1; first <= 100_000; first += 20_000) await harness.store.addRows(job.id, newRows(20_000, first));
    expect(await harness.store.counts(job.id)).toMatchObject({ total: 100_000, queued: 100_000 });
    await harness.store.transitionJob(job.id, { to: 'running', from: ['preparing'], now: T0 });
    const slots = await harness.store.dispatchRows({ jobId: job.id, maxInFlight: 50, limit: 50, now: T0 });
    expect(slots.map((slot) => slot.rowId)).toEqual(newRows(50).map((row) => row.rowId));
  });

  it('keeps its tables beside other tables in the shared file and shares one connection with other stores', async () => {
    const db = openDatabase({ path: harness.path });
    db.exec('CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, other TEXT)');
    db.prepare(`INSERT INTO jobs (id, other) VALUES ('x', 'not the store')`).run();
    const first = new SqliteStore(db);
    const second = new SqliteStore(db);
    const job = newJob();
    await first.createJob(job, T0);
    expect((await second.getJob(job.id))?.id).toBe(job.id);
    expect(db.prepare(`SELECT other FROM jobs WHERE id = 'x'`).get()).toEqual({ other: 'not the store' });
    await first.close();
    // The connection belongs to whoever opened it: closing a store leaves it open for the queue and other stores.
    expect(db.open).toBe(true);
    expect((await second.getJob(job.id))?.id).toBe(job.id);
    await expect(first.getJob(job.id)).rejects.toThrow('SqliteStore is closed');
    await second.close();
    db.close();
  });

  it('closes the connection on close when told it owns it', async () => {
    const db = openDatabase({ path: harness.path });
    const store = new SqliteStore(db, { closeDatabase: true });
    await store.close();
    await store.close();
    expect(db.open).toBe(false);
  });

  it('validates its construction arguments with exact messages', () => {
    const db: SqliteDatabase = openDatabase({ path: harness.path });
    expect(() => new SqliteStore(db, { closeDatabase: 'yes' as unknown as boolean })).toThrow('SqliteStore: options.closeDatabase must be a boolean');
    expect(() => new SqliteStore(undefined as unknown as SqliteDatabase)).toThrow('SqliteStore: db must be a SqliteDatabase from openDatabase()');
    db.close();
    expect(() => new SqliteStore(db)).toThrow('SqliteStore: the database connection is closed');
  });

  it('lists the jobs a file written before targets were typed holds, each with its typed target', async () => {
    // Rows exactly as the previous version's insert wrote them: the key in sheet_key, the rest as a string map in meta.
    const db = openDatabase({ path: harness.path });
    const insert = db.prepare(
      `INSERT INTO store_jobs (id, owner, sheet_key, config, config_hash, status, budget_nanos, created_at, updated_at, running_since, simulated, meta)
       VALUES (?, 'me', ?, ?, 'h', 'completed', NULL, ?, ?, ?, 0, ?)`,
    );
    const fileMeta = { source: '/data/brands.xlsx', out: '/data/brands.enriched.xlsx', sheet: 'Q3', rows: '2-50', limit: '10', search: 'tavily', replace: '["Website"]' };
    insert.run('old-file', 'file:/data/brands.xlsx#Q3', JSON.stringify(CONFIG), T0, T0, T0, JSON.stringify(fileMeta));
    const sheetMeta = { spreadsheetId: 'abc', sheetId: '0', spreadsheetTitle: 'Leads', sheetTitle: 'Sheet1' };
    insert.run('old-sheet', 'sheets:abc/0', JSON.stringify(CONFIG), T0 + 1, T0 + 1, T0 + 1, JSON.stringify(sheetMeta));
    db.close();

    const store = await harness.reopen();
    expect((await store.listJobs()).map((j) => [j.id, j.target])).toEqual([
      ['old-sheet', { kind: 'sheet', spreadsheetId: 'abc', sheetId: 0, spreadsheetTitle: 'Leads', sheetTitle: 'Sheet1' }],
      ['old-file', { kind: 'file', source: '/data/brands.xlsx', out: '/data/brands.enriched.xlsx', sheet: 'Q3', rows: '2-50', limit: 10, search: 'tavily', replace: ['Website'] }],
    ]);
    expect((await store.listJobs({ target: { kind: 'sheet', spreadsheetId: 'abc', sheetId: 0 } })).map((j) => j.id)).toEqual(['old-sheet']);
    const file = { kind: 'file', source: '/data/brands.xlsx', out: '/elsewhere.xlsx', sheet: 'Q3' } as const;
    expect((await store.listJobs({ target: file })).map((j) => j.id)).toEqual(['old-file']);
  });

  it('refuses a file written by a newer store schema', () => {
    const db = openDatabase({ path: harness.path });
    db.prepare(`UPDATE store_meta SET value = ? WHERE key = 'schema_version'`).run(String(STORE_SCHEMA_VERSION + 1));
    expect(() => new SqliteStore(db)).toThrow(`store schema version ${STORE_SCHEMA_VERSION + 1} is newer than this build supports (${STORE_SCHEMA_VERSION})`);
    db.close();
  });

  it('rejects bad amounts and times before changing anything', async () => {
    const { jobId } = await startJob(harness.store, { rows: 1 });
    const [slot] = await harness.store.dispatchRows({ jobId, maxInFlight: 1, limit: 1, now: T0 });
    const claim = (reserveUsd: number) => harness.store.claimRow({ jobId, rowId: slot!.rowId, dispatchSeq: slot!.dispatchSeq, now: T0, leaseMs: 1_000, reserveUsd });
    await expect(claim(-1)).rejects.toThrow('reserveUsd must not be negative, got -1');
    await expect(claim(Number.NaN)).rejects.toThrow('reserveUsd must be a finite number of USD, got NaN');
    await expect(harness.store.dispatchRows({ jobId, maxInFlight: -1, limit: 1, now: T0 })).rejects.toThrow('maxInFlight must be a non-negative integer, got -1');
    await expect(harness.store.createJob(newJob({ budgetUsd: -5 }), T0)).rejects.toThrow('budgetUsd must not be negative, got -5');
    expect(await harness.store.counts(jobId)).toMatchObject({ queued: 1, running: 0, reservedUsd: 0 });
  });
});
