// Behaviour that needs real processes: one process per state file (the lock), and the --json line protocol on stdout.
import { describe, expect, it } from 'vitest';
import {
  brandsCsv,
  cliTestContext,
  deadPid,
  existsSync,
  jsonLines,
  modelEnv,
  OUTPUT_FLAGS,
  readCsv,
  rowfill,
  spawnRowfill,
  waitUntil,
  within,
} from '../../helpers/cli-harness.js';

const ctx = cliTestContext();
const ENRICH = ['enrich', 'brands.csv', '--input', 'Brand', '--input', 'Country', ...OUTPUT_FLAGS, '--budget', '5', '--db', 'state.db'];

describe.concurrent('one rowfill process per state file', () => {
  it('refuses a second job process on the same --db while one runs (exit 2), lets status and cancel through, and frees the file when the first ends', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn({ latencyMs: 100 });
    ws.write('brands.csv', brandsCsv(300));
    ws.write('other.csv', brandsCsv(2));
    const first = spawnRowfill([...ENRICH, '--workers', '2', '--json'], { cwd: ws.dir, env: modelEnv(standIn) });
    ctx.track(first.child);
    await waitUntil(() => jsonLines(first.stdout()).some((l) => l.type === 'progress'), 'the first process to start its job', 30_000);
    const job = String(jsonLines(first.stdout())[0]?.jobId);
    const busy = `rowfill: Another rowfill process (pid ${first.pid}) is using ${ws.db}; wait for it or stop it first.\n`;

    const second = await rowfill(['enrich', ws.path('other.csv'), '--input', 'Brand', ...OUTPUT_FLAGS, '--budget', '1', '--db', ws.db], modelEnv(standIn));
    expect(second).toMatchObject({ code: 2, stderr: busy, stdout: '' });
    expect(existsSync(ws.path('other.enriched.csv'))).toBe(false);
    expect(await rowfill(['resume', job, '--db', ws.db], modelEnv(standIn))).toMatchObject({ code: 2, stderr: busy });
    // Reading state does not need the lock.
    const status = await rowfill(['status', job, '--db', ws.db], modelEnv(standIn));
    expect(status.code).toBe(0);
    expect(status.stdout.split('\n')[0]).toBe(`running — job ${job}`);

    // Cancel is one store transition, so it works from a second terminal: the running process sees it and stops.
    expect((await rowfill(['cancel', job, '--db', ws.db], modelEnv(standIn))).code).toBe(0);
    expect(await within(first.exited, 10_000, 'exit after a cancel from another terminal')).toBe(130);
    expect(existsSync(`${ws.db}.lock`)).toBe(false);
    const afterwards = await rowfill(['enrich', ws.path('other.csv'), '--input', 'Brand', ...OUTPUT_FLAGS, '--budget', '1', '--db', ws.db], modelEnv(standIn));
    expect(afterwards.code).toBe(0);
  });

  it('takes over a lock left behind by a process that died', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(2));
    ws.write('state.db.lock', String(await deadPid()));

    const result = await rowfill(['enrich', ws.path('brands.csv'), '--input', 'Brand', ...OUTPUT_FLAGS, '--budget', '1', '--db', ws.db], modelEnv(standIn));

    expect(result.code).toBe(0);
    expect(readCsv(ws.path('brands.enriched.csv')).map((r) => r.rowfill_status)).toEqual(['done', 'done']);
    expect(existsSync(`${ws.db}.lock`)).toBe(false);
  });
});

describe.concurrent('--json', () => {
  it('prints only JSON lines on stdout: progress lines, then one summary line, each with a type', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn({ latencyMs: 60 });
    ws.write('brands.csv', brandsCsv(40));
    const run = spawnRowfill([...ENRICH, '--workers', '2', '--json'], { cwd: ws.dir, env: modelEnv(standIn) });
    ctx.track(run.child);

    const code = await within(run.exited, 60_000, 'the job to finish');

    expect(code).toBe(0);
    expect(run.stderr()).toBe('');
    expect(run.stdout().endsWith('\n')).toBe(true);
    const lines = jsonLines(run.stdout());
    const types = lines.map((l) => l.type);
    expect(types.at(-1)).toBe('summary');
    expect(types.filter((t) => t === 'summary')).toHaveLength(1);
    expect(types.slice(0, -1).length).toBeGreaterThan(0);
    expect(new Set(types.slice(0, -1))).toEqual(new Set(['progress']));
    const job = lines[0]!.jobId;
    for (const progress of lines.slice(0, -1)) {
      expect(progress).toMatchObject({ jobId: job, total: 40, budgetUsd: 5 });
      expect(typeof progress.done).toBe('number');
    }
    expect(lines.at(-1)).toMatchObject({ type: 'summary', jobId: job, status: 'completed', interrupted: false, total: 40, done: 40, failed: 0, out: ws.path('brands.enriched.csv'), next: null });

    const jobs = spawnRowfill(['jobs', '--json', '--db', 'state.db'], { cwd: ws.dir, env: modelEnv(standIn) });
    expect(await jobs.exited).toBe(0);
    expect(jsonLines(jobs.stdout())).toEqual([expect.objectContaining({ type: 'job', id: job, status: 'completed', totalRows: 40, source: ws.path('brands.csv') })]);
  });
});
