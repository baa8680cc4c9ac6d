// `rowfill enrich --mode cheap`: rows go through the Batch API stand-in, each result lands on its own row, status lists the batches.
import { describe, expect, it } from 'vitest';
import { brandsCsv, cliTestContext, jobIdOf, jsonLines, modelEnv, OUTPUT_FLAGS, OUTPUT_SPECS, readCsv, rowfill } from '../../helpers/cli-harness.js';
import { expectedOutputs } from '../../helpers/embedded-harness.js';

const ctx = cliTestContext();

describe('rowfill --mode', () => {
  it('enriches a file in cheap mode: every row done on its own row, billed once, at batch prices; status lists the batch', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn({ batchDelayMs: 300 });
    ws.write('brands.csv', brandsCsv(300));
    const env = modelEnv(standIn, { ROWFILL_BATCH_POLL_MS: '50' });
    const result = await rowfill(['enrich', ws.path('brands.csv'), '--input', 'Brand', '--input', 'Country', ...OUTPUT_FLAGS, '--budget', '1', '--mode', 'cheap', '--db', ws.db], env);
    expect(result.code, result.stderr).toBe(0);
    const rows = readCsv(ws.path('brands.enriched.csv'));
    expect(rows).toHaveLength(300);
    for (const [i, row] of rows.entries()) {
      expect(row.rowfill_status).toBe('done');
      // The stand-in's answer is a function of the row's inputs: each result sits on its own row.
      const expected = expectedOutputs({ outputs: OUTPUT_SPECS }, { Brand: row.Brand!, Country: row.Country! });
      expect(row.Category).toBe(String(expected.Category));
      expect(row.Brand).toBe(`${['Patagonia', 'Lego', 'IKEA', 'Nintendo', 'Heineken', 'Adidas', 'Muji', 'Zara', 'Rolex', 'Volvo'][i % 10]} ${i + 1}`);
    }
    const billed = standIn.requestLog.filter((e) => e.billed);
    expect(billed).toHaveLength(300);
    expect(billed.every((e) => e.batchId !== undefined)).toBe(true);

    const status = await rowfill(['status', jobIdOf(result), '--db', ws.db, '--json'], env);
    expect(status.code).toBe(0);
    const batches = jsonLines(status.stdout).filter((l) => l.type === 'batch');
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ seq: 0, status: 'completed', phase: 'applied', rows: 300 });
    const text = await rowfill(['status', jobIdOf(result), '--db', ws.db], env);
    expect(text.stdout).toMatch(/Batches:\n {2}batch 0 {2}completed, applied +300 rows {2}batch_/);
  }, 60_000);

  it('refuses a mode that is neither fast nor cheap, and research in cheap mode, before anything is spent', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(3));
    const bad = await rowfill(['enrich', ws.path('brands.csv'), '--input', 'Brand', ...OUTPUT_FLAGS, '--budget', '1', '--mode', 'slow', '--db', ws.db], modelEnv(standIn));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--mode must be fast or cheap, got "slow"');
    const research = await rowfill(['enrich', ws.path('brands.csv'), '--input', 'Brand', ...OUTPUT_FLAGS, '--budget', '1', '--mode', 'cheap', '--research', '--db', ws.db], modelEnv(standIn));
    expect(research.code).toBe(2);
    expect(research.stderr).toContain('--mode: research mode runs in fast mode only; choose "fast" or turn research off');
    expect(standIn.requestLog).toHaveLength(0);
  });

  it('estimate shows both prices, the cheap one about half, and weighs the budget against the chosen mode', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(200));
    const args = ['estimate', ws.path('brands.csv'), '--input', 'Brand', '--input', 'Country', ...OUTPUT_FLAGS, '--db', ws.db];
    const fast = await rowfill(args, modelEnv(standIn));
    expect(fast.code).toBe(0);
    const fastRange = /Estimated cost with gpt-4\.1-mini: \$([\d.]+) – \$([\d.]+)/.exec(fast.stdout);
    const cheapRange = /In cheap mode \(--mode cheap: the Batch API, results within 24 h\): \$([\d.]+) – \$([\d.]+) \(hard worst case \$[\d.]+\)/.exec(fast.stdout);
    expect(fastRange, fast.stdout).not.toBeNull();
    expect(cheapRange, fast.stdout).not.toBeNull();
    expect(Number(cheapRange![2])).toBeCloseTo(Number(fastRange![2]) / 2, 3);
    const cheap = await rowfill([...args, '--mode', 'cheap', '--budget', String(Number(cheapRange![2]) * 1.5)], modelEnv(standIn));
    expect(cheap.stdout).toContain('In cheap mode (chosen)');
    expect(cheap.stdout).not.toContain('may not cover every row');
    expect(standIn.requestLog).toHaveLength(0);
  });
});
