// Pauses (budget, quota, auth, failure rate) with exit 1, and the commands that act on a job afterwards:
// resume, retry-failed, cancel, status and jobs.
import { describe, expect, it } from 'vitest';
import {
  billedPerRow,
  brandsCsv,
  cliTestContext,
  existsSync,
  jobIdOf,
  jsonLines,
  linesOf,
  modelEnv,
  OUTPUT_FLAGS,
  readCsv,
  rowfill,
  waitUntil,
  type Workspace,
} from '../../helpers/cli-harness.js';

const ctx = cliTestContext();

function enrichArgs(ws: Workspace, ...extra: string[]): string[] {
  return ['enrich', ws.path('brands.csv'), '--input', 'Brand', '--input', 'Country', ...OUTPUT_FLAGS, '--workers', '4', '--budget', '1', '--db', ws.db, ...extra];
}

/** enrichArgs with --budget replaced. */
function withBudget(ws: Workspace, budget: string, ...extra: string[]): string[] {
  const args = enrichArgs(ws, ...extra);
  args[args.indexOf('--budget') + 1] = budget;
  return args;
}

function statuses(ws: Workspace): string[] {
  return readCsv(ws.path('brands.enriched.csv')).map((r) => r.rowfill_status ?? '');
}

describe.concurrent('pauses exit 1 and say what to do next', () => {
  it('pauses at the budget, and resume --budget <higher> finishes the job with exit 0, billing each row once', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(20));

    const paused = await rowfill(withBudget(ws, '0.003', '--workers', '1'), modelEnv(standIn));

    const job = jobIdOf(paused);
    expect(paused.code).toBe(1);
    expect(paused.stderr).toContain(`Paused (budget) — job ${job}`);
    expect(paused.stderr).toContain(`The budget is spent. Raise it to go on: rowfill resume ${job} --budget <usd>`);
    const spent = Number(/spent {4}\$([\d.]+) of \$0\.0030 budget/.exec(paused.stderr)?.[1]);
    expect(spent).toBeLessThanOrEqual(0.003);
    const before = statuses(ws);
    const done = before.filter((s) => s === 'done').length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(20);
    expect(before.filter((s) => s === 'paused: budget')).toHaveLength(20 - done);

    const tooLow = await rowfill(['resume', job, '--budget', '0', '--db', ws.db], modelEnv(standIn));
    expect(tooLow.code).toBe(2);
    expect(tooLow.stderr).toBe('rowfill: --budget must be greater than 0, got 0\n');
    const belowSpent = await rowfill(['resume', job, '--budget', '0.0001', '--db', ws.db], modelEnv(standIn));
    expect(belowSpent.code).toBe(2);
    expect(belowSpent.stderr).toMatch(/^rowfill: --budget must be more than the \$[\d.]+ already spent or reserved\n$/);

    const resumed = await rowfill(['resume', job, '--budget', '1', '--db', ws.db], modelEnv(standIn));

    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`Completed — job ${job}`);
    expect(resumed.stderr).toContain('20 total · 20 done');
    expect(statuses(ws)).toEqual(Array(20).fill('done'));
    const billed = billedPerRow(standIn);
    expect(billed.size).toBe(20);
    expect(Math.max(...billed.values())).toBe(1);
  });

  it('resume without a higher budget pauses again at the budget (exit 1)', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(4));
    const paused = await rowfill(withBudget(ws, '0.0005'), modelEnv(standIn));
    expect(paused.code).toBe(1);
    expect(statuses(ws)).toEqual(Array(4).fill('paused: budget'));

    const again = await rowfill(['resume', jobIdOf(paused), '--db', ws.db], modelEnv(standIn));

    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`rowfill resume ${jobIdOf(paused)} --budget <usd>`);
    expect(standIn.requestLog).toHaveLength(0);
  });

  it('pauses when the account is out of quota, and resume continues once it is not', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn({ faults: { insufficientQuota: 1 } });
    ws.write('brands.csv', brandsCsv(6));

    const paused = await rowfill(enrichArgs(ws), modelEnv(standIn));

    const job = jobIdOf(paused);
    expect(paused.code).toBe(1);
    expect(paused.stderr).toContain(`Paused (quota) — job ${job}`);
    expect(paused.stderr).toContain(`The OpenAI account is out of quota. Add credit, then: rowfill resume ${job}`);
    expect(statuses(ws).filter((s) => s === 'done')).toHaveLength(0);
    expect(statuses(ws)).toContain('paused: quota');

    standIn.configure({ faults: { insufficientQuota: 0 } });
    const resumed = await rowfill(['resume', job, '--db', ws.db], modelEnv(standIn));

    expect(resumed.code).toBe(0);
    expect(statuses(ws)).toEqual(Array(6).fill('done'));
  });

  it('pauses when the API key is rejected mid-job, and resume with a good key finishes (exit 0)', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn({ latencyMs: 30 });
    ws.write('brands.csv', brandsCsv(200));

    const running = rowfill(enrichArgs(ws, '--workers', '2'), modelEnv(standIn, { OPENAI_API_KEY: 'sk-revoked-soon' }));
    await waitUntil(() => standIn.requestLog.filter((e) => e.billed).length >= 3, 'a few rows to finish');
    standIn.configure({ rejectKey: 'sk-revoked-soon' });
    const paused = await running;

    const job = jobIdOf(paused);
    expect(paused.code).toBe(1);
    expect(paused.stderr).toContain(`Paused (auth) — job ${job}`);
    expect(paused.stderr).toContain(`The API key was rejected. Fix OPENAI_API_KEY, then: rowfill resume ${job}`);
    expect(statuses(ws)).toContain('paused: auth');

    standIn.configure({ latencyMs: 0 });
    const resumed = await rowfill(['resume', job, '--db', ws.db], modelEnv(standIn, { OPENAI_API_KEY: 'sk-new-key' }));

    expect(resumed.code).toBe(0);
    expect(statuses(ws)).toEqual(Array(200).fill('done'));
  });

  it('pauses when most rows fail (failure rate), pointing at retry-failed', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn({ faults: { contentFilter: 1 } });
    ws.write('brands.csv', brandsCsv(40));

    const paused = await rowfill(enrichArgs(ws, '--workers', '2'), modelEnv(standIn));

    const job = jobIdOf(paused);
    expect(paused.code).toBe(1);
    expect(paused.stderr).toContain(`Paused (failure_rate) — job ${job}`);
    expect(paused.stderr).toContain(`rowfill retry-failed ${job}`);
    expect(statuses(ws)).toContain('paused: failure_rate');
  });
});

describe.concurrent('refusals at start exit 2 with one line and no output file', () => {
  it('a rejected API key', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(3));

    const result = await rowfill(enrichArgs(ws), modelEnv(standIn, { OPENAI_API_KEY: 'sk-invalid' }));

    expect(result.code).toBe(2);
    expect(result.stderr).toBe('rowfill: OpenAI rejected the API key (401 invalid_api_key): set OPENAI_API_KEY to a valid key\n');
    expect(existsSync(ws.path('brands.enriched.csv'))).toBe(false);
    expect(standIn.requestLog).toHaveLength(0);
  });

  it('a model this key cannot use', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(3));
    const env = modelEnv(standIn, { ROWFILL_PRICES: JSON.stringify({ 'gpt-9': { input: 1, cachedInput: 0.5, output: 4 } }) });

    const result = await rowfill(enrichArgs(ws, '--model', 'gpt-9'), env);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe("rowfill: Model 'gpt-9' is not available to this API key\n");
    expect(existsSync(ws.path('brands.enriched.csv'))).toBe(false);
  });

  it('a model with no known price when a budget is set', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(3));

    const result = await rowfill(enrichArgs(ws, '--model', 'my-private-model'), modelEnv(standIn));

    expect(result.code).toBe(2);
    expect(linesOf(result.stderr)).toHaveLength(1);
    // The wording belongs to the job config (shared with the sidebar); the CLI shows it on one line.
    expect(result.stderr).toMatch(/^rowfill: .*no price is known for (model )?"my-private-model"/i);
    // …and the way out that exists on the command line, which the sidebar's wording cannot name.
    expect(result.stderr).toMatch(/ROWFILL_PRICES, or run without --budget/);
    expect(existsSync(ws.path('brands.enriched.csv'))).toBe(false);
  });
});

describe.concurrent('rowfill retry-failed', () => {
  it('re-runs only the failed rows', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn({ faults: { contentFilter: 0.3 }, seed: 7 });
    ws.write('brands.csv', brandsCsv(12));
    const first = await rowfill(enrichArgs(ws, '--workers', '2'), modelEnv(standIn));
    expect(first.code).toBe(0);
    const failedKeys = new Set(standIn.requestLog.filter((e) => e.fault === 'contentFilter').map((e) => e.rowKey));
    expect(failedKeys.size).toBeGreaterThan(0);
    const firstStatuses = statuses(ws);
    const firstRows = readCsv(ws.path('brands.enriched.csv'));
    standIn.configure({ faults: { contentFilter: 0 } });
    standIn.resetLog();

    const retried = await rowfill(['retry-failed', jobIdOf(first), '--db', ws.db], modelEnv(standIn));

    expect(retried.code).toBe(0);
    expect(retried.stderr).toContain(`Re-queued ${failedKeys.size} failed rows of job ${jobIdOf(first)}.`);
    expect(new Set(standIn.requestLog.map((e) => e.rowKey))).toEqual(failedKeys);
    expect(standIn.requestLog).toHaveLength(failedKeys.size);
    const rows = readCsv(ws.path('brands.enriched.csv'));
    expect(rows.map((r) => r.rowfill_status)).toEqual(Array(12).fill('done'));
    // Rows that were already done keep their answers.
    firstStatuses.forEach((status, i) => {
      if (status === 'done') expect(rows[i]).toEqual(firstRows[i]);
    });
  });

  it('does nothing on a job with no failed rows', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(2));
    const first = await rowfill(enrichArgs(ws), modelEnv(standIn));
    standIn.resetLog();

    const retried = await rowfill(['retry-failed', jobIdOf(first), '--db', ws.db], modelEnv(standIn));

    expect(retried.code).toBe(0);
    expect(retried.stderr).toContain(`Re-queued 0 failed rows of job ${jobIdOf(first)}.`);
    expect(standIn.requestLog).toHaveLength(0);
  });
});

describe.concurrent('rowfill cancel, status and jobs', () => {
  it('cancels a paused job; status and jobs show it cancelled; it cannot be resumed or cancelled again', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(4));
    const paused = await rowfill(withBudget(ws, '0.0005'), modelEnv(standIn));
    const job = jobIdOf(paused);
    expect(paused.code).toBe(1);

    const cancelled = await rowfill(['cancel', job, '--db', ws.db], modelEnv(standIn));

    expect(cancelled.code).toBe(0);
    expect(cancelled.stderr).toBe(`Cancelled job ${job}. Results so far: ${ws.path('brands.enriched.csv')}\n`);
    expect(statuses(ws)).toEqual(Array(4).fill('cancelled'));

    const status = await rowfill(['status', job, '--db', ws.db], modelEnv(standIn));
    expect(status.code).toBe(0);
    expect(linesOf(status.stdout)[0]).toBe(`cancelled — job ${job}`);
    expect(status.stdout).toContain('4 cancelled');

    const jobs = await rowfill(['jobs', '--db', ws.db], modelEnv(standIn));
    expect(jobs.code).toBe(0);
    expect(linesOf(jobs.stdout)).toHaveLength(1);
    expect(jobs.stdout).toMatch(new RegExp(`^${job}\\s+cancelled\\s+4 rows\\s+\\$0\\.0000 .*brands\\.csv\\n$`));

    const resumed = await rowfill(['resume', job, '--db', ws.db], modelEnv(standIn));
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toBe(`rowfill: Job ${job} was cancelled; start a new one with rowfill enrich.\n`);

    const again = await rowfill(['cancel', job, '--db', ws.db], modelEnv(standIn));
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`rowfill: Job ${job} is cancelled; only a preparing, running or paused job can be cancelled.\n`);
    expect(standIn.requestLog).toHaveLength(0);
  });

  it('status with no job shows the latest; jobs lists every job, newest first; --json variants are JSON lines', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(3));
    const completed = await rowfill(enrichArgs(ws), modelEnv(standIn));
    ws.write('brands.csv', brandsCsv(5));
    const paused = await rowfill(withBudget(ws, '0.0005', '--force'), modelEnv(standIn));
    expect([completed.code, paused.code]).toEqual([0, 1]);

    const latest = await rowfill(['status', '--db', ws.db], modelEnv(standIn));
    expect(latest.code).toBe(0);
    expect(linesOf(latest.stdout)[0]).toBe(`Paused (budget) — job ${jobIdOf(paused)}`);
    expect(latest.stdout).toContain(`rowfill resume ${jobIdOf(paused)} --budget <usd>`);

    const older = await rowfill(['status', jobIdOf(completed), '--db', ws.db], modelEnv(standIn));
    expect(linesOf(older.stdout)[0]).toBe(`Completed — job ${jobIdOf(completed)}`);
    expect(older.stdout).toContain('3 total · 3 done');

    const jobs = await rowfill(['jobs', '--db', ws.db], modelEnv(standIn));
    const listed = linesOf(jobs.stdout);
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatch(new RegExp(`^${jobIdOf(paused)}\\s+paused: budget\\s+5 rows`));
    expect(listed[1]).toMatch(new RegExp(`^${jobIdOf(completed)}\\s+completed\\s+3 rows`));

    const statusJson = jsonLines((await rowfill(['status', '--json', '--db', ws.db], modelEnv(standIn))).stdout);
    expect(statusJson).toEqual([expect.objectContaining({ type: 'summary', jobId: jobIdOf(paused), status: 'paused', pauseReason: 'budget', total: 5 })]);
    const jobsJson = jsonLines((await rowfill(['jobs', '--json', '--db', ws.db], modelEnv(standIn))).stdout);
    expect(jobsJson.map((j) => [j.type, j.id, j.status])).toEqual([
      ['job', jobIdOf(paused), 'paused'],
      ['job', jobIdOf(completed), 'completed'],
    ]);
  });

  it('an empty state file: jobs says so, status exits 2', async () => {
    const ws = ctx.workspace();
    const jobs = await rowfill(['jobs', '--db', ws.db]);
    expect(jobs).toMatchObject({ code: 0, stdout: 'No jobs yet.\n' });
    const status = await rowfill(['status', '--db', ws.db]);
    expect(status.code).toBe(2);
    expect(status.stderr).toBe('rowfill: No jobs yet. Start one with: rowfill enrich <file> …\n');
  });

  it.each([['status'], ['resume'], ['retry-failed'], ['cancel']])('%s on an unknown job exits 2 with one clear line', async (command) => {
    const ws = ctx.workspace();
    const result = await rowfill([command, 'job_000000000000', '--db', ws.db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('rowfill: No job job_000000000000.\n');
  });

  it('resume on a completed job exits 2 and points at retry-failed', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(2));
    const first = await rowfill(enrichArgs(ws), modelEnv(standIn));
    const job = jobIdOf(first);
    const result = await rowfill(['resume', job, '--db', ws.db], modelEnv(standIn));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`rowfill: Job ${job} is already completed. To re-run its failed rows: rowfill retry-failed ${job}\n`);
  });
});
