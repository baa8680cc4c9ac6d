// The adapter's pure parts: A1 selections, packing writes into ranges, cutting long cells, planning columns, spacing writes.
import { describe, expect, it } from 'vitest';
import { rangeStart, selectionRows } from '../../../../backend/src/adapters/google-sheets/a1.js';
import { capCell, outputCell } from '../../../../backend/src/adapters/google-sheets/cell-text.js';
import { planColumns } from '../../../../backend/src/adapters/google-sheets/column-plan.js';
import { selectedRows } from '../../../../backend/src/adapters/google-sheets/row-selection.js';
import { valueBlocks } from '../../../../backend/src/adapters/google-sheets/value-blocks.js';
import { WriteSpacer } from '../../../../backend/src/adapters/google-sheets/write-spacer.js';
import { RateLimitError } from '../../../../backend/src/kernel/errors.js';
import { FakeTime } from './fixtures.js';

describe('A1 selections', () => {
  it('reads the rows of closed, open, whole-row and single-cell ranges', () => {
    expect(selectionRows('A2:D50')).toEqual({ title: undefined, first: 2, last: 50 });
    expect(selectionRows('7:9')).toEqual({ title: undefined, first: 7, last: 9 });
    expect(selectionRows('B12')).toEqual({ title: undefined, first: 12, last: 12 });
    expect(selectionRows('A:A')).toEqual({ title: undefined, first: 1, last: Infinity });
    expect(selectionRows("'My tab'!A2:D")).toEqual({ title: 'My tab', first: 2, last: Infinity });
    expect(() => selectionRows('A')).toThrow('"A" is not an A1 range');
  });

  it('merges overlapping selections, drops the header and rows above it, and clips to the grid', () => {
    expect(selectedRows(['A5:B9', '1:4', 'C8:C12', 'D20:D', 'B14'], 'T', 2, 25)).toEqual([
      { first: 3, last: 12 },
      { first: 14, last: 14 },
      { first: 20, last: 25 },
    ]);
    expect(selectedRows(['A1:A2'], 'T', 2, 25)).toEqual([]);
    expect(() => selectedRows([], 'T', 1, 25)).toThrow('Select at least one range of rows.');
    expect(() => selectedRows(['A:A'], 'T', 0, 25)).toThrow('The header row must be a row number from 1, got 0.');
  });

  it('reads where a range Google returned starts', () => {
    expect(rangeStart("'It''s'!C1:C1000")).toEqual({ title: "It's", row: 1, column: 2 });
    expect(rangeStart('Sheet1!AA7')).toEqual({ title: 'Sheet1', row: 7, column: 26 });
  });
});

describe('valueBlocks', () => {
  it('packs adjacent rows and columns into rectangles, leaving null for cells not written', () => {
    const blocks = valueBlocks('T', [
      { row: 1, column: 3, value: 'Category' },
      { row: 2, column: 3, value: 'a' },
      { row: 2, column: 5, value: 'done' },
      { row: 3, column: 5, value: 'done' },
      { row: 7, column: 5, value: 'failed: timeout' },
    ]);
    expect(blocks).toEqual([
      { range: "'T'!D1:D3", majorDimension: 'ROWS', values: [['Category'], ['a'], [null]] },
      { range: "'T'!F1:F3", majorDimension: 'ROWS', values: [[null], ['done'], ['done']] },
      { range: "'T'!F7:F7", majorDimension: 'ROWS', values: [['failed: timeout']] },
    ]);
  });
});

describe('cell text', () => {
  it('cuts at 50,000 characters with a marker and never splits a surrogate pair', () => {
    expect(capCell('short')).toBe('short');
    const cut = capCell('a'.repeat(49_993) + '😀' + 'b'.repeat(100));
    expect(cut.length).toBeLessThanOrEqual(50_000);
    expect(cut.endsWith('a…[cut]')).toBe(true);
    expect(outputCell(null)).toBe('');
    expect(outputCell(12.5)).toBe(12.5);
    expect(outputCell(false)).toBe(false);
  });
});

describe('planColumns', () => {
  const base = { header: ['Brand', 'Website', 'Category'], headerRow: 1, usedWidth: 3, columnCount: 4, inputs: ['Brand'], outputs: ['Category', 'Founded'] };

  it('uses tagged columns, adopts an untagged column by its exact header, inserts new outputs before the status column and appends the rest', () => {
    const plan = planColumns({ ...base, tagged: new Map([['status', 9]]), usedWidth: 10, columnCount: 10 });
    expect(plan.outputs).toEqual(new Map([['Category', 2], ['Founded', 9]]));
    expect([plan.status, plan.error, plan.cost, plan.id]).toEqual([10, 11, 12, 13]);
    expect(plan.adopted).toEqual([{ column: 2, tag: 'output:Category' }]);
    expect(plan.inserts).toEqual([{ at: 9, count: 1 }]);
    expect(plan.created).toEqual([
      { column: 9, header: 'Founded', tag: 'output:Founded' },
      { column: 11, header: 'rowfill_error', tag: 'error' },
      { column: 12, header: 'rowfill_cost_usd', tag: 'cost' },
      { column: 13, header: 'rowfill_id', tag: 'id' },
    ]);
    expect(plan.appendColumns).toBe(3);
    // Reads taken before the plan: the status column was at 9; the inserted and appended columns were not there.
    expect([plan.readIndex(2), plan.readIndex(9), plan.readIndex(10), plan.readIndex(11)]).toEqual([2, undefined, 9, undefined]);
  });

  it('lays out a fresh sheet as outputs, then status, error, cost, and the hidden id last', () => {
    const plan = planColumns({ ...base, tagged: new Map(), header: ['Brand', 'Website'], usedWidth: 2 });
    expect(plan.created.map((c) => [c.column, c.header])).toEqual([
      [2, 'Category'],
      [3, 'Founded'],
      [4, 'rowfill_status'],
      [5, 'rowfill_error'],
      [6, 'rowfill_cost_usd'],
      [7, 'rowfill_id'],
    ]);
    expect(plan.inserts).toEqual([]);
  });

  it('fills in an old layout: outputs before the status column, error and cost after it, both inserted, the rest found by tag', () => {
    // Brand, Website, Category, rowfill_status, rowfill_id, Founded (added after them by an older version).
    const plan = planColumns({
      ...base,
      header: ['Brand', 'Website', 'Category', 'rowfill_status', 'rowfill_id', 'Founded'],
      tagged: new Map([['output:Category', 2], ['status', 3], ['id', 4], ['output:Founded', 5]]),
      outputs: ['Category', 'Founded', 'Public'],
      usedWidth: 6,
      columnCount: 6,
    });
    expect(plan.inserts).toEqual([{ at: 4, count: 2 }, { at: 3, count: 1 }]);
    expect(plan.outputs).toEqual(new Map([['Category', 2], ['Founded', 8], ['Public', 3]]));
    expect([plan.status, plan.error, plan.cost, plan.id]).toEqual([4, 5, 6, 7]);
    expect(plan.appendColumns).toBe(0);
    expect([2, 3, 4, 5, 6, 7, 8].map((c) => plan.readIndex(c))).toEqual([2, undefined, 3, undefined, undefined, 4, 5]);
  });

  it('never adopts an input column as an output', () => {
    const plan = planColumns({ ...base, tagged: new Map(), inputs: ['Brand', 'Category'], outputs: ['Category'] });
    expect(plan.outputs.get('Category')).toBe(3);
  });
});

describe('WriteSpacer', () => {
  it('spaces writes an interval apart and refuses at once while a 429 backoff runs, doubling it', async () => {
    const time = new FakeTime();
    const spacer = new WriteSpacer(time.clock, 1000);
    await spacer.acquire('s');
    await spacer.acquire('s');
    await spacer.acquire('other');
    expect(time.sleeps).toEqual([1000]);
    expect(spacer.rateLimited('s', undefined)).toBe(1000);
    await expect(spacer.acquire('s')).rejects.toBeInstanceOf(RateLimitError);
    time.advance(1000);
    expect(spacer.rateLimited('s', undefined)).toBe(2000);
    expect(spacer.rateLimited('s', 5000)).toBe(5000);
    await expect(spacer.acquire('s')).rejects.toMatchObject({ retryAfterMs: 5000 });
    time.advance(5000);
    spacer.succeeded('s');
    await spacer.acquire('s');
    expect(spacer.rateLimited('s', undefined)).toBe(1000);
  });
});
