// The shape of an open spreadsheet file: its format, its header and a fresh stream of its data rows on every call.
import type { TableFormat } from './file-format.js';

export interface TableRow {
  /** The row's number as a spreadsheet shows it: the header is row 1 in a CSV, so the first data row is 2. */
  readonly rowNumber: number;
  /** One display string per column, padded with '' to the header's width (a row wider than its header keeps the extra cells). */
  readonly values: readonly string[];
}

export interface Table {
  readonly format: TableFormat;
  readonly path: string;
  /** Column names, trimmed, validated unique and non-empty. */
  readonly headers: readonly string[];
  /** The header's row number: always 1 in a CSV; in a workbook, the first row holding any value. */
  readonly headerRowNumber: number;
  /** The worksheet read, for a workbook; undefined for CSV. */
  readonly sheetName: string | undefined;
  /**
   * Streams the data rows from the file, re-reading it on each call, so memory stays flat however long the file is.
   * Rows whose cells are all empty are left out; the row numbers of the rest still count them.
   */
  rows(): AsyncIterable<TableRow>;
}

export interface OpenTableOptions {
  /** Worksheet to read in a workbook, matched ignoring case as Excel does. Default: the first worksheet. Ignored for CSV. */
  readonly sheetName?: string;
}

/** Pads a row to the header's width so `values[i]` exists for every header `i`. */
export function padValues(values: readonly string[], width: number): readonly string[] {
  if (values.length >= width) return values;
  const padded = values.slice();
  while (padded.length < width) padded.push('');
  return padded;
}

export function isBlank(values: readonly string[]): boolean {
  return values.every((value) => value === '');
}
