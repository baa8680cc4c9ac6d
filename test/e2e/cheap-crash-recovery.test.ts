// Cheap mode survives SIGKILL: the rowfill CLI is killed while it packs or submits, polls and applies batches (and once at random), then resumed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../backend/src/adapters/sqlite/sqlite-store.js';
import { parseJobConfig } from '../../backend/src/engine/job-config.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../local/openai/server.js';
import { expectedOutputs } from '../helpers/embedded-harness.js';
import { standInBill } from '../helpers/cheap-harness.js';

const ROWS = 2000;
const BIN = resolve('bin/rowfill.js');
const OUTPUTS = ['Category=Main product category', 'Founded:number=Year the brand was founded'];

let dir: string;
let standIn: OpenAiStandIn;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rowfill-cheap-crash-'));
  const lines = ['Brand,Country'];
  for (let i = 0; i < ROWS; i++) lines.push(`Brand ${i},${i % 3 ? 'Japan' : 'Sweden'}`);
  writeFileSync(join(dir, 'rows.csv'), `${lines.join('\n')}\n`);
  standIn = await startOpenAiStandIn({ batchDelayMs: 1200, seed: 13 });
});

afterAll(async () => {
  await standIn.close();
  rmSync(dir, { recursive: true, force: true });
});

function rowfill(args: string[]): { child: ChildProcess; started: Promise<string | undefined>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args, '--db', join(dir, 'state.db'), '--json'], {
    cwd: dir,
    // ~60 prompt tokens a row against 25,000 enqueued tokens: the job goes out in several batches, one after another.
    env: { ...process.env, OPENAI_API_KEY: 'sk-crash-test', OPENAI_BASE_URL: standIn.url, ROWFILL_LOG_LEVEL: 'silent', ROWFILL_BATCH_POLL_MS: '40', ROWFILL_BATCH_ENQUEUED_TOKENS: '25000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  const started = new Promise<string | undefined>((resolveJob) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n').slice(0, -1)) {
        const event = JSON.parse(line) as { type: string; jobId?: string };
        if (event.type === 'progress') resolveJob(event.jobId);
      }
    });
    child.on('exit', () => resolveJob(undefined));
  });
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, started, exit };
}

/**
 * The moments the kills aim at, in a batch's life: packing or submitting it (rows claimed, the file not yet
 * recorded as a batch), polling it (submitted, in the provider's hands), applying its results (ended, rows finishing).
 */
const AIMS: ReadonlyArray<{ readonly name: string; readonly phases: readonly string[] }> = [
  { name: 'packing or submitting', phases: ['claimed', 'uploaded'] },
  { name: 'polling', phases: ['submitted'] },
  { name: 'applying', phases: ['ended'] },
];

/** Watches the state file every 2 ms and kills the process the moment a batch is in one of `phases`; false if it never was. */
async function killInPhase(run: ReturnType<typeof rowfill>, jobId: string, phases: readonly string[], timeoutMs: number): Promise<boolean> {
  const exited = { yes: false };
  void run.exit.then(() => (exited.yes = true));
  // One read-only connection for the watch: it takes no lock the process could wait on.
  const db = new Database(join(dir, 'state.db'), { readonly: true, fileMustExist: true });
  const inPhase = db.prepare(`SELECT count(*) AS n FROM store_batches WHERE job_id = ? AND phase IN (${phases.map(() => '?').join(', ')})`);
  const deadline = Date.now() + timeoutMs;
  try {
    while (!exited.yes && Date.now() < deadline) {
      if ((inPhase.get(jobId, ...phases) as { n: number }).n > 0) {
        run.child.kill('SIGKILL');
        return true;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    run.child.kill('SIGKILL');
    return false;
  } finally {
    db.close();
  }
}

describe('cheap mode crash recovery', () => {
  it('submits no batch twice, bills no row twice and loses nothing when killed with SIGKILL while packing, polling and applying', async () => {
    const enrichArgs = ['enrich', 'rows.csv', '--input', 'Brand', '--input', 'Country', ...OUTPUTS.flatMap((o) => ['--output', o]), '--mode', 'cheap', '--budget', '2'];
    let jobId: string | undefined;
    const hit: string[] = [];
    for (const aim of AIMS) {
      const run = rowfill(jobId ? ['resume', jobId] : enrichArgs);
      const seen = await run.started;
      jobId ??= seen;
      expect(jobId, 'the job started before the kill').toBeDefined();
      if (await killInPhase(run, jobId!, aim.phases, 20_000)) hit.push(aim.name);
      await run.exit;
    }
    // A fourth kill at a random moment, wherever the batches then are.
    const run = rowfill(['resume', jobId!]);
    await run.started;
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 1500));
    run.child.kill('SIGKILL');
    await run.exit;
    expect(hit, 'each kill landed in the phase it aimed at').toEqual(AIMS.map((a) => a.name));

    const last = rowfill(['resume', jobId!]);
    expect(await last.exit).toBe(0);

    const db = openDatabase({ path: join(dir, 'state.db') });
    const store = new SqliteStore(db);
    const counts = await store.counts(jobId!);
    await store.close();
    db.close();
    expect(counts).toMatchObject({ total: ROWS, done: ROWS, failed: 0, queued: 0, running: 0, reservedUsd: 0 });

    // No batch submitted twice: every batch has its own input file, and no request is in two batches.
    const openai = new OpenAI({ apiKey: 'sk-crash-test', baseURL: standIn.url });
    const batches: Array<{ input_file_id: string }> = [];
    for await (const b of openai.batches.list({ limit: 100 })) batches.push(b);
    expect(batches.length).toBeGreaterThan(1);
    expect(new Set(batches.map((b) => b.input_file_id)).size).toBe(batches.length);
    // No row billed twice, and the job's spend is exactly what the provider billed.
    const billed = standIn.requestLog.filter((e) => e.billed);
    const perRow = new Map<string, number>();
    for (const e of billed) perRow.set(e.rowKey ?? '', (perRow.get(e.rowKey ?? '') ?? 0) + 1);
    expect(perRow.size).toBe(ROWS);
    expect([...perRow.values()].every((n) => n === 1)).toBe(true);
    expect(billed.every((e) => e.batchId !== undefined)).toBe(true);
    expect(counts.spentUsd).toBeCloseTo(standInBill(standIn, 'gpt-4.1-mini').usd, 6);

    const out: Array<Record<string, string>> = parse(readFileSync(join(dir, 'rows.enriched.csv')), { columns: true });
    expect(out).toHaveLength(ROWS);
    const config = parseJobConfig({ inputs: ['Brand', 'Country'], outputs: [
      { name: 'Category', instruction: 'Main product category' },
      { name: 'Founded', instruction: 'Year the brand was founded', type: 'number' },
    ], budgetUsd: 1 });
    for (const row of out) {
      expect(row.rowfill_status).toBe('done');
      const expected = expectedOutputs(config, { Brand: row.Brand!, Country: row.Country! });
      expect(row.Category).toBe(expected.Category);
      expect(Number(row.Founded)).toBe(expected.Founded);
    }
  }, 240_000);
});
