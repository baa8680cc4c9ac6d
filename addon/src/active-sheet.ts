// The tab the user is on: ids for the backend, and its header row's column names.
import { RESERVED_COLUMNS } from './settings-model.js';
import type { HeaderColumn } from './sidebar-api.js';

export interface ActiveSheet {
  readonly spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet;
  readonly sheet: GoogleAppsScript.Spreadsheet.Sheet;
  readonly spreadsheetId: string;
  readonly sheetId: number;
}

export function activeSheet(): ActiveSheet {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const sheet = spreadsheet.getActiveSheet();
  return { spreadsheet, sheet, spreadsheetId: spreadsheet.getId(), sheetId: sheet.getSheetId() };
}

function letters(column: number): string {
  let n = column;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Named columns of the header row, left to right, without Rowfill's own id and status columns. */
export function headerColumns(sheet: GoogleAppsScript.Spreadsheet.Sheet, headerRow: number): HeaderColumn[] {
  const width = sheet.getLastColumn();
  if (width < 1 || headerRow > sheet.getMaxRows()) return [];
  const [names = []] = sheet.getRange(headerRow, 1, 1, width).getDisplayValues();
  const out: HeaderColumn[] = [];
  names.forEach((raw, i) => {
    const name = String(raw).trim();
    if (name !== '' && !RESERVED_COLUMNS.some((r) => r === name.toLowerCase())) out.push({ name, column: letters(i + 1) });
  });
  return out;
}
