// A real crash test: the rowfill CLI enriching 2,000 rows is SIGKILLed three times at random moments and resumed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
});
