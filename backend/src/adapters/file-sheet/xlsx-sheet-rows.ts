// Streams one worksheet's rows as display strings, picking the sheet by name (or the first) and naming the sheets on a miss.
import type { Row } from 'exceljs';
import { FileSheetError } from './errors.js';
import { fileLabel } from './file-format.js';
import { displayText } from './xlsx-cell-values.js';
import { openWorkbookStream } from './xlsx-workbook.js';

export interface SheetRow {
  readonly sheetName: string;
  readonly rowNumber: number;
  readonly values: readonly string[];
}

export async function* readSheetRows(path: string, sheetName: string | undefined): AsyncGenerator<SheetRow> {
  const workbook = openWorkbookStream(path);
  const seen: string[] = [];
  for await (const sheet of workbook.sheets) {
    if (!isWantedSheet(sheet.name, sheetName, seen.length)) {
      seen.push(sheet.name);
      continue;
    }
    for await (const row of sheet.rows) {
      yield { sheetName: sheet.name, rowNumber: row.number, values: rowTexts(row, workbook.date1904()) };
    }
    return;
  }
  throw missingSheet(path, sheetName, seen);
}

/** Undefined wants the first sheet; names match ignoring case, as Excel itself forbids two names differing only in case. */
export function isWantedSheet(name: string, wanted: string | undefined, index: number): boolean {
  if (wanted === undefined) return index === 0;
  return name.toLowerCase() === wanted.trim().toLowerCase();
}

/** How messages name a sheet's header: the file, plus the sheet when there is one. */
export function sheetLabel(path: string, sheetName: string | undefined): string {
  return sheetName === undefined ? fileLabel(path) : `${fileLabel(path)} (sheet "${sheetName}")`;
}

export function missingSheet(path: string, wanted: string | undefined, seen: readonly string[]): FileSheetError {
  const label = fileLabel(path);
  if (seen.length === 0) return new FileSheetError('unreadable', `Could not read ${label} as an Excel workbook: it has no worksheets`);
  return new FileSheetError('unknown_sheet', `Sheet "${wanted ?? ''}" not found in ${label}. Sheets: ${seen.join(', ')}`);
}

function rowTexts(row: Row, date1904: boolean): string[] {
  const texts: string[] = [];
  row.eachCell((cell, column) => {
    texts[column - 1] = displayText(cell.value, cell.numFmt, date1904);
  });
  return Array.from({ length: texts.length }, (_, index) => texts[index] ?? '');
}
