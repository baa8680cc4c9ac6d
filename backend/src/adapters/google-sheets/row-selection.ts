// Which rows a selection covers: ranges parsed, rows at or above the header dropped, clipped to the grid, overlaps merged.
import { SheetAccessError } from '../../ports/spreadsheet.js';
import { A1RangeError, selectionRows } from './a1.js';

/** 1-based, inclusive. */
export interface RowInterval {
  readonly first: number;
  readonly last: number;
}

export function selectedRows(ranges: readonly string[], sheetTitle: string, headerRow: number, rowCount: number): RowInterval[] {
  if (!Number.isInteger(headerRow) || headerRow < 1) {
    throw new SheetAccessError('invalid_range', `The header row must be a row number from 1, got ${headerRow}.`);
  }
  if (headerRow >= rowCount) {
    throw new SheetAccessError('invalid_range', `The header row ${headerRow} is the last row of "${sheetTitle}" or beyond it; no rows below it can be selected.`);
  }
  const list: unknown = ranges;
  if (!Array.isArray(list) || ranges.length === 0) throw new SheetAccessError('invalid_range', 'Select at least one range of rows.');
  const spans = ranges.map((text) => {
    let span;
    try {
      span = selectionRows(text);
    } catch (error) {
      if (error instanceof A1RangeError) throw new SheetAccessError('invalid_range', `${error.message}; use ranges like A2:D50, 7:9 or B12.`, { cause: error });
      throw error;
    }
    if (span.title !== undefined && span.title !== sheetTitle) {
      throw new SheetAccessError('invalid_range', `The range "${text}" is on tab "${span.title}", not on "${sheetTitle}".`);
    }
    return { first: Math.max(span.first, headerRow + 1), last: Math.min(span.last, rowCount) };
  });
  const merged: { first: number; last: number }[] = [];
  for (const span of spans.filter((s) => s.first <= s.last).sort((a, b) => a.first - b.first)) {
    const last = merged[merged.length - 1];
    if (last && span.first <= last.last + 1) last.last = Math.max(last.last, span.last);
    else merged.push({ ...span });
  }
  return merged;
}
