// `rowfill estimate`: row count, rows skipped as unchanged, a cost range — and not one model call.
import { describe, expect, it } from 'vitest';
import { brandsCsv, cliTestContext, existsSync, jsonLines, modelEnv, OUTPUT_FLAGS, rowfill, type Workspace } from '../../helpers/cli-harness.js';

const ctx = cliTestContext();

function estimateArgs(ws: Workspace, ...extra: string[]): string[] {
  return ['estimate', ws.path('brands.csv'), '--input', 'Brand', '--input', 'Country', ...OUTPUT_FLAGS, '--db', ws.db, ...extra];
}

function costRange(stdout: string): [number, number] {
  const match = /Estimated cost with gpt-4\.1-mini: \$([\d.]+) – \$([\d.]+) \(hard worst case \$([\d.]+)\)/.exec(stdout);
  if (!match) throw new Error(`no cost range in:\n${stdout}`);
  return [Number(match[1]), Number(match[2])];
}

describe.concurrent('rowfill estimate', () => {
  it('counts rows to run, repeats and invalid rows, gives a cost range, and spends nothing', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', `${brandsCsv(8)}Patagonia 1,Japan\n" ",\n`);

    const result = await rowfill(estimateArgs(ws), modelEnv(standIn));

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('10 rows · 8 to run · 0 skipped (unchanged) · 1 repeat an earlier answer (free) · 1 invalid (empty or oversized inputs)');
    const [low, high] = costRange(result.stdout);
    expect(low).toBeGreaterThan(0);
    expect(high).toBeGreaterThanOrEqual(low);
    expect(standIn.requestLog).toHaveLength(0);
    expect(existsSync(ws.path('brands.enriched.csv'))).toBe(false);
  });

  it('warns when the budget may not cover every row', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(20));
    const result = await rowfill(estimateArgs(ws, '--budget', '0.0001'), modelEnv(standIn));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('The budget ($0.0001) may not cover every row: the job will pause at the budget, and you can raise it to go on.');
    expect(standIn.requestLog).toHaveLength(0);
  });

  it('honours --rows and --limit', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(20));
    expect((await rowfill(estimateArgs(ws, '--rows', '2-4,7'), modelEnv(standIn))).stdout).toMatch(/^4 rows · 4 to run/);
    expect((await rowfill(estimateArgs(ws, '--limit', '3'), modelEnv(standIn))).stdout).toMatch(/^3 rows · 3 to run/);
  });

  it('reports rows unchanged since a finished job as skipped, with nothing left to pay for', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(5));
    const enriched = await rowfill(['enrich', ws.path('brands.csv'), '--input', 'Brand', '--input', 'Country', ...OUTPUT_FLAGS, '--budget', '1', '--db', ws.db], modelEnv(standIn));
    expect(enriched.code).toBe(0);
    standIn.resetLog();

    const result = await rowfill(estimateArgs(ws), modelEnv(standIn));

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('5 rows · 0 to run · 5 skipped (unchanged)');
    expect(costRange(result.stdout)).toEqual([0, 0]);
    const forced = await rowfill(estimateArgs(ws, '--force'), modelEnv(standIn));
    expect(forced.stdout).toContain('5 rows · 5 to run · 0 skipped (unchanged)');
    expect(standIn.requestLog).toHaveLength(0);
  });

  it('prints one JSON line with --json', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(4));
    const result = await rowfill(estimateArgs(ws, '--json', '--budget', '2'), modelEnv(standIn));
    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: 'estimate', model: 'gpt-4.1-mini', rows: 4, toRun: 4, skippedUnchanged: 0, invalid: 0, priced: true, budgetUsd: 2 });
    expect(lines[0]!.costHighUsd as number).toBeGreaterThanOrEqual(lines[0]!.costLowUsd as number);
    expect(standIn.requestLog).toHaveLength(0);
  });

  it('says so when a model has no known price, without failing', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(2));
    const result = await rowfill(estimateArgs(ws, '--model', 'my-private-model'), modelEnv(standIn));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No price is known for my-private-model; cost cannot be estimated.');
  });
});
