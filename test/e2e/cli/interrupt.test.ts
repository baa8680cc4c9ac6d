// Ctrl-C on a real `rowfill enrich` process: exit 130, the resume hint, the rows done so far on disk — and a resume
// that finishes the job without paying twice for rows that were already done.
import { describe, expect, it } from 'vitest';
import { expectedCells } from '../../helpers/cli-expect.js';
import {
  billedPerRow,
  brandRows,
  brandsCsv,
  cliTestContext,
  jobIdOf,
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
const ROWS = 500;
const WORKERS = 4;
const ENRICH = ['enrich', 'brands.csv', '--input', 'Brand', '--input', 'Country', ...OUTPUT_FLAGS, '--workers', String(WORKERS), '--budget', '5', '--db', 'state.db'];

describe.concurrent('Ctrl-C during rowfill enrich', () => {
  it('exits 130 with the resume hint and the done rows written; resume finishes every row, billing no done row twice', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn({ latencyMs: 100, jitterMs: 20 });
    ws.write('brands.csv', brandsCsv(ROWS));
    const run = spawnRowfill([...ENRICH, '--json'], { cwd: ws.dir, env: modelEnv(standIn) });
    ctx.track(run.child);

    await waitUntil(() => jsonLines(run.stdout()).some((l) => l.type === 'progress' && (l.done as number) > 0), 'a progress line with rows done', 30_000);
    run.child.kill('SIGINT');
    const code = await within(run.exited, 10_000, 'exit after Ctrl-C');

    expect(code).toBe(130);
    expect(run.stdout().endsWith('\n')).toBe(true);
    const lines = jsonLines(run.stdout());
    for (const line of lines) expect(['progress', 'summary']).toContain(line.type);
    const summary = lines.at(-1)!;
    const job = String(summary.jobId);
    expect(summary).toMatchObject({ type: 'summary', interrupted: true, status: 'paused', next: `rowfill resume ${job}`, out: ws.path('brands.enriched.csv') });

    const inputs = brandRows(ROWS);
    const partial = readCsv(ws.path('brands.enriched.csv'));
    expect(partial).toHaveLength(ROWS);
    const doneBefore = partial.filter((r) => r.rowfill_status === 'done').length;
    expect(doneBefore).toBe(summary.done);
    expect(doneBefore).toBeGreaterThan(0);
    expect(doneBefore).toBeLessThan(ROWS);
    partial.forEach((row, i) => {
      if (row.rowfill_status === 'done') expect(row).toMatchObject(expectedCells(inputs[i]!));
      else expect(row).toMatchObject({ Category: '', Founded: '', rowfill_status: 'paused: user' });
    });

    standIn.configure({ latencyMs: 5, jitterMs: 0 });
    const resumed = await rowfill(['resume', job, '--db', ws.db], modelEnv(standIn));

    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`Completed — job ${job}`);
    expect(resumed.stderr).toContain(`${ROWS} total · ${ROWS} done`);
    const final = readCsv(ws.path('brands.enriched.csv'));
    final.forEach((row, i) => expect(row).toMatchObject({ ...inputs[i], ...expectedCells(inputs[i]!), rowfill_status: 'done' }));
    // Only calls in flight at Ctrl-C (at most one per worker) may have been paid for twice.
    const billed = billedPerRow(standIn);
    expect(billed.size).toBe(ROWS);
    const total = [...billed.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(ROWS + WORKERS);
    expect([...billed.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(WORKERS);
  });

  it('prints "Interrupted" and "Continue with: rowfill resume <job>" in the terminal summary', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn({ latencyMs: 100, jitterMs: 20 });
    ws.write('brands.csv', brandsCsv(ROWS));
    const run = spawnRowfill(ENRICH, { cwd: ws.dir, env: modelEnv(standIn) });
    ctx.track(run.child);

    await waitUntil(() => /Job job_/.test(run.stderr()) && standIn.requestLog.some((e) => e.billed), 'the job to start answering rows', 30_000);
    run.child.kill('SIGINT');
    const code = await within(run.exited, 10_000, 'exit after Ctrl-C');

    expect(code).toBe(130);
    const job = jobIdOf({ stdout: '', stderr: run.stderr() });
    expect(run.stderr()).toContain(`Interrupted — job ${job}`);
    expect(run.stderr()).toContain(`output   ${ws.path('brands.enriched.csv')}`);
    expect(run.stderr().trimEnd().split('\n').at(-1)).toBe(`Continue with: rowfill resume ${job}`);
    expect(readCsv(ws.path('brands.enriched.csv'))).toHaveLength(ROWS);

    const status = await rowfill(['status', job, '--db', ws.db], modelEnv(standIn));
    expect(status.stdout.split('\n')[0]).toBe(`Paused (user) — job ${job}`);
    expect(status.stdout).toContain(`Continue with: rowfill resume ${job}`);
  });
});
