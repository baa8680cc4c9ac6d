// A1 notation as Google Sheets reads and writes it: `'Tab name'!A2:D50`, `A:A`, `2:5`, `B12`, open ranges, bare tab names.

/** Google's widest sheet is 18,278 columns (ZZZ); more letters than that is not a column. */
export const MAX_COLUMNS = 18_278;

/** A parsed range: 0-based indexes, ends exclusive; an absent bound is unbounded (runs to the sheet's edge). */
export interface A1Range {
  /** The tab named before `!`, or undefined when the range names none (Google then uses the first tab). */
  readonly sheetTitle: string | undefined;
  readonly startRow?: number | undefined;
  readonly endRow?: number | undefined;
  readonly startColumn?: number | undefined;
  readonly endColumn?: number | undefined;
}

export class A1Error extends Error {
  override readonly name = 'A1Error';
}

/** `A` → 0, `Z` → 25, `AA` → 26. Case-insensitive. */
export function columnIndex(letters: string): number {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) throw new A1Error(`Not a column: ${JSON.stringify(letters)}`);
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  if (n > MAX_COLUMNS) throw new A1Error(`Column ${letters} is beyond the last column (ZZZ)`);
  return n - 1;
}

/** 0 → `A`, 25 → `Z`, 26 → `AA`. */
export function columnLetters(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new A1Error(`Not a column index: ${index}`);
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Google leaves simple titles bare and quotes the rest, doubling inner quotes. */
export function quoteSheetTitle(title: string): string {
  const bare = /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !looksLikeCell(title);
  return bare ? title : `'${title.replace(/'/g, "''")}'`;
}

function looksLikeCell(text: string): boolean {
  return /^[A-Za-z]{1,3}\d+$/.test(text) || /^R\d*C\d*$/i.test(text);
}

interface Endpoint {
  readonly row?: number | undefined;
  readonly column?: number | undefined;
}

const ENDPOINT = /^\$?([A-Za-z]{1,3})?\$?(\d+)?$/;

function parseEndpoint(text: string): Endpoint | undefined {
  const match = ENDPOINT.exec(text);
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
  const row = match[2] === undefined ? undefined : Number(match[2]) - 1;
  if (row !== undefined && (row < 0 || !Number.isSafeInteger(row))) return undefined;
  try {
    return { row, column: match[1] === undefined ? undefined : columnIndex(match[1]) };
  } catch {
    return undefined;
  }
}

/** The cell part after `!` (or the whole text when no tab is named); undefined when it is not a range. */
function parseCells(text: string): Omit<A1Range, 'sheetTitle'> | undefined {
  const parts = text.split(':');
  if (parts.length > 2) return undefined;
  const start = parseEndpoint(parts[0] ?? '');
  if (!start) return undefined;
  if (parts.length === 1) {
    // A lone `A` or `5` is a tab's name, not a range; only a full cell stands alone.
    if (start.row === undefined || start.column === undefined) return undefined;
    return { startRow: start.row, endRow: start.row + 1, startColumn: start.column, endColumn: start.column + 1 };
  }
  const end = parseEndpoint(parts[1] ?? '');
  if (!end) return undefined;
  const [startRow, endRow] = span(start.row, end.row);
  const [startColumn, endColumn] = span(start.column, end.column);
  return { startRow, endRow, startColumn, endColumn };
}

/** Bounds on one axis from two endpoints; a side that names no index leaves that end open. */
function span(a: number | undefined, b: number | undefined): [number | undefined, number | undefined] {
  if (a !== undefined && b !== undefined) return [Math.min(a, b), Math.max(a, b) + 1];
  if (a !== undefined) return [a, undefined];
  if (b !== undefined) return [0, b + 1];
  return [undefined, undefined];
}

/** Parses an A1 range; throws A1Error with Google's wording when it cannot. */
export function parseA1(text: string): A1Range {
  const fail = (): never => {
    throw new A1Error(`Unable to parse range: ${text}`);
  };
  if (text.trim() === '') fail();
  if (text.startsWith("'")) {
    let i = 1;
    let title = '';
    for (;;) {
      if (i >= text.length) fail();
      const ch = text[i];
      if (ch === "'") {
        if (text[i + 1] === "'") {
          title += "'";
          i += 2;
          continue;
        }
        break;
      }
      title += ch;
      i += 1;
    }
    const rest = text.slice(i + 1);
    if (rest === '') return { sheetTitle: title };
    if (!rest.startsWith('!')) fail();
    const cells = parseCells(rest.slice(1));
    return cells ? { sheetTitle: title, ...cells } : fail();
  }
  const bang = text.indexOf('!');
  if (bang >= 0) {
    const title = text.slice(0, bang);
    if (title === '') fail();
    const cells = parseCells(text.slice(bang + 1));
    return cells ? { sheetTitle: title, ...cells } : fail();
  }
  const cells = parseCells(text);
  return cells ? { sheetTitle: undefined, ...cells } : { sheetTitle: text };
}

/** `Title!A2:D50`, or `Title!B12` for one cell, from 0-based bounds (ends exclusive). */
export function formatA1(title: string, startRow: number, endRow: number, startColumn: number, endColumn: number): string {
  const first = `${columnLetters(startColumn)}${startRow + 1}`;
  const single = endRow - startRow === 1 && endColumn - startColumn === 1;
  const cells = single ? first : `${first}:${columnLetters(endColumn - 1)}${endRow}`;
  return `${quoteSheetTitle(title)}!${cells}`;
}
