// Packs scattered cell writes into few rectangular ValueRanges: runs of adjacent rows × runs of adjacent columns, nulls between.
import type { sheets_v4 } from '@googleapis/sheets';
import { rangeA1 } from './a1.js';
import type { SheetCell } from './cell-text.js';

export interface CellWrite {
  /** 1-based row number. */
  readonly row: number;
  /** 0-based column index. */
  readonly column: number;
  readonly value: SheetCell;
}

function runs(sorted: readonly number[]): number[][] {
  const out: number[][] = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && last[last.length - 1] === n - 1) last.push(n);
    else out.push([n]);
  }
  return out;
}

/** One ValueRange per (row run × column run) holding any write; null marks a cell to leave untouched (Sheets skips it). */
export function valueBlocks(title: string, writes: readonly CellWrite[]): sheets_v4.Schema$ValueRange[] {
  const byCell = new Map<string, SheetCell>();
  for (const w of writes) byCell.set(`${w.row}:${w.column}`, w.value);
  const rows = [...new Set(writes.map((w) => w.row))].sort((a, b) => a - b);
  const columns = [...new Set(writes.map((w) => w.column))].sort((a, b) => a - b);
  const blocks: sheets_v4.Schema$ValueRange[] = [];
  for (const rowRun of runs(rows)) {
    for (const columnRun of runs(columns)) {
      const values = rowRun.map((r) => columnRun.map((c) => byCell.get(`${r}:${c}`) ?? null));
      if (values.every((line) => line.every((v) => v === null))) continue;
      const firstRow = rowRun[0] ?? 1;
      const firstColumn = columnRun[0] ?? 0;
      blocks.push({
        range: rangeA1(title, firstRow, firstRow + rowRun.length - 1, firstColumn, firstColumn + columnRun.length - 1),
        majorDimension: 'ROWS',
        values,
      });
    }
  }
  return blocks;
}

/**
 * One ValueRange per run of adjacent rows, spanning every written column and `readBack` (nulls where nothing is
 * written, which Sheets skips). Asked with `includeValuesInResponse`, the write then answers what `readBack` holds on
 * each written row right after the write, in the same request: the id column, to check that no row moved under it.
 */
export function rowBlocks(title: string, writes: readonly CellWrite[], readBack: number): sheets_v4.Schema$ValueRange[] {
  const byCell = new Map<string, SheetCell>();
  for (const w of writes) byCell.set(`${w.row}:${w.column}`, w.value);
  const rows = [...new Set(writes.map((w) => w.row))].sort((a, b) => a - b);
  const columns = [...writes.map((w) => w.column), readBack];
  const first = Math.min(...columns);
  const last = Math.max(...columns);
  return runs(rows).map((rowRun) => {
    const firstRow = rowRun[0] ?? 1;
    const values = rowRun.map((r) => Array.from({ length: last - first + 1 }, (_, k) => byCell.get(`${r}:${first + k}`) ?? null));
    return { range: rangeA1(title, firstRow, firstRow + rowRun.length - 1, first, last), majorDimension: 'ROWS', values };
  });
}
