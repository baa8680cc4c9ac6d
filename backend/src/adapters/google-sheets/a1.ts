// The A1 notation the adapter needs: column letters, quoted tab names, the rows a selection covers, and ranges Google returns.

export class A1RangeError extends Error {
  override readonly name = 'A1RangeError';
}

/** 0 → `A`, 25 → `Z`, 26 → `AA`. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Always quoted: Google accepts quotes around any title, and a title like `A1` or `My tab` needs them. */
export function quoteTitle(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

/** `'Tab'!C5:E9` from a 1-based row span and 0-based column span (ends inclusive). */
export function rangeA1(title: string, firstRow: number, lastRow: number, firstColumn: number, lastColumn: number): string {
  return `${quoteTitle(title)}!${columnLetters(firstColumn)}${firstRow}:${columnLetters(lastColumn)}${lastRow}`;
}

/** Rows `first`..`last` (1-based, inclusive) of a tab, every column. */
export function rowsA1(title: string, first: number, last: number): string {
  return `${quoteTitle(title)}!${first}:${last}`;
}

export function columnA1(title: string, column: number): string {
  const letters = columnLetters(column);
  return `${quoteTitle(title)}!${letters}:${letters}`;
}

/** Splits `'Tab'!A1:B2` / `Tab!A1:B2` / `A1:B2` into its tab name (if any) and cell part. */
function splitSheet(text: string): { title: string | undefined; cells: string } {
  if (text.startsWith("'")) {
    let i = 1;
    let title = '';
    while (i < text.length) {
      if (text[i] === "'") {
        if (text[i + 1] !== "'") break;
        i += 1;
      }
      title += text[i];
      i += 1;
    }
    if (text[i] !== "'" || text[i + 1] !== '!') throw new A1RangeError(`"${text}" is not an A1 range`);
    return { title, cells: text.slice(i + 2) };
  }
  const bang = text.lastIndexOf('!');
  return bang < 0 ? { title: undefined, cells: text } : { title: text.slice(0, bang), cells: text.slice(bang + 1) };
}

const ENDPOINT = /^\$?([A-Za-z]{1,3})?\$?(\d+)?$/;

function endpoint(text: string, whole: string): { row: number | undefined; column: number | undefined } {
  const m = ENDPOINT.exec(text.trim());
  if (!m || (m[1] === undefined && m[2] === undefined)) throw new A1RangeError(`"${whole}" is not an A1 range`);
  const row = m[2] === undefined ? undefined : Number(m[2]);
  if (row !== undefined && row < 1) throw new A1RangeError(`"${whole}" is not an A1 range (rows start at 1)`);
  return { row, column: m[1] === undefined ? undefined : columnIndex(m[1]) };
}

/** The rows a selected range covers, 1-based and inclusive; `last` is Infinity for an open range like `A:A` or `A2:D`. */
export interface RowSpan {
  readonly title: string | undefined;
  readonly first: number;
  readonly last: number;
}

export function selectionRows(text: string): RowSpan {
  const { title, cells } = splitSheet(text.trim());
  const parts = cells.split(':');
  if (cells === '' || parts.length > 2) throw new A1RangeError(`"${text}" is not an A1 range`);
  const a = endpoint(parts[0] ?? '', text);
  if (parts.length === 1) {
    if (a.row === undefined || a.column === undefined) throw new A1RangeError(`"${text}" is not an A1 range`);
    return { title, first: a.row, last: a.row };
  }
  const b = endpoint(parts[1] ?? '', text);
  if (a.row !== undefined && b.row !== undefined) return { title, first: Math.min(a.row, b.row), last: Math.max(a.row, b.row) };
  if (a.row !== undefined) return { title, first: a.row, last: Infinity };
  if (b.row !== undefined) return { title, first: 1, last: b.row };
  return { title, first: 1, last: Infinity };
}

/** Where a range Google returned starts: its tab title, 1-based first row and 0-based first column. */
export function rangeStart(text: string): { title: string; row: number; column: number } {
  const { title, cells } = splitSheet(text);
  if (title === undefined) throw new A1RangeError(`"${text}" names no tab`);
  const first = endpoint(cells.split(':')[0] ?? '', text);
  return { title, row: first.row ?? 1, column: first.column ?? 0 };
}
