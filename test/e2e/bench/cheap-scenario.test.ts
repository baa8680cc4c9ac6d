// The cheap bench scenario at smoke size: the same job in fast and cheap mode through the CLI, then packing; the report it prints.
import { describe, expect, it } from 'vitest';
import { agrees, cheapRatio, cheapTable, cheapTargetLines, runCheap } from '../../../bench/cheap/scenario.js';

describe('bench: cheap scenario', () => {
  it('runs one job in both modes and packs rows: cheap costs half as much, each spend equals the stand-in bill, every row packed', async () => {
    const result = await runCheap({ rows: 30, packRows: 300 }, () => undefined);
    expect(result.fast.doneRows).toBe(30);
    expect(result.cheap.doneRows).toBe(30);
    expect(result.fast.bill).toMatchObject({ fastRequests: 30, batchRequests: 0 });
    expect(result.cheap.bill).toMatchObject({ fastRequests: 0, batchRequests: 30 });
    expect(agrees(result.fast) && agrees(result.cheap)).toBe(true);
    expect(cheapRatio(result)).toBeCloseTo(0.5, 6);
    expect(result.pack).toMatchObject({ rows: 300, files: 1, upload: false });
    expect(result.packUpload).toMatchObject({ rows: 300, files: 1, upload: true });
    const table = cheapTable(result);
    expect(table.split('\n')).toHaveLength(6);
    expect(table).toContain('| rowfill enrich --mode cheap | 30 |');
    expect(cheapTargetLines(result).join('\n')).toMatch(/cheap ÷ fast cost per 1,000 rows ≈ 0\.5: 0\.50 .* met\n.*both modes: met/);
  }, 120_000);
});
