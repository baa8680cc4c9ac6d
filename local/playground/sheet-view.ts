// The playground's sheet: brands.csv loaded into the Sheets stand-in, and the JSON view of a tab the page polls.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { CellValue, SpreadsheetSpec, Workbook } from '../sheets/index.js';

export interface SheetView {
  readonly spreadsheetId: string;
  readonly title: string;
  readonly sheetId: number;
  readonly tabTitle: string;
  /** Rows 1..n of the used area, each cell shown as text ('' for blank). */
  readonly rows: readonly (readonly string[])[];
  /** 1-based numbers of hidden rows inside the used area. */
  readonly hiddenRows: readonly number[];
  /** 0-based indexes of hidden columns inside the used area (Rowfill hides its rowfill_id column). */
  readonly hiddenColumns: readonly number[];
  /** Per 1-based row number, the 0-based columns holding a number or a boolean: shown right-aligned, as Sheets does. */
  readonly typedCells: Readonly<Record<string, readonly number[]>>;
}

export async function readCsvRows(path: string): Promise<string[][]> {
  return parse(await readFile(path, 'utf8'), { relaxColumnCount: true, skipEmptyLines: true });
}

interface SheetsLike {
  createSpreadsheet(spec: SpreadsheetSpec): Workbook;
  workbook(spreadsheetId: string): Workbook;
}

/** The playground spreadsheet, reused when the stand-in kept it from an earlier run. */
export function openOrCreate(sheets: SheetsLike, id: string, title: string, rows: readonly (readonly string[])[], sharedWith: string): Workbook {
  try {
    return sheets.workbook(id);
  } catch {
    return sheets.createSpreadsheet({ id, title, tabs: [{ title, sheetId: 0 }], rows: rows.map((r) => [...r]), sharedWith: [sharedWith] });
  }
}

function text(value: CellValue | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'object' ? value.formula : String(value);
}

/** The first tab's used area: every row and column up to the last non-blank cell (at least the header row). */
export function sheetView(workbook: Workbook): SheetView {
  const tab = workbook.tabs[0];
  if (!tab) throw new Error(`Spreadsheet ${workbook.id} has no tabs.`);
  let lastRow = 0;
  let lastColumn = 0;
  const cells: string[][] = [];
  const typed: Record<string, number[]> = {};
  for (let r = 0; r < tab.rowCount; r++) {
    const row: string[] = [];
    for (let c = 0; c < tab.columnCount; c++) {
      const value = tab.get(r, c);
      const shown = text(value);
      row.push(shown);
      if (typeof value === 'number' || typeof value === 'boolean') (typed[String(r + 1)] ??= []).push(c);
      if (shown !== '') {
        lastRow = Math.max(lastRow, r + 1);
        lastColumn = Math.max(lastColumn, c + 1);
      }
    }
    cells.push(row);
  }
  const rows = cells.slice(0, Math.max(lastRow, 1)).map((row) => row.slice(0, Math.max(lastColumn, 1)));
  const hiddenRows = [...tab.hiddenRows].filter((r) => r < rows.length).map((r) => r + 1).sort((a, b) => a - b);
  const width = rows[0]?.length ?? 0;
  const hiddenColumns = [...tab.hiddenColumns].filter((c) => c < width).sort((a, b) => a - b);
  const typedCells = Object.fromEntries(
    Object.entries(typed)
      .filter(([row]) => Number(row) <= rows.length)
      .map(([row, columns]) => [row, columns.filter((c) => c < width)]),
  );
  return { spreadsheetId: workbook.id, title: workbook.title, sheetId: tab.sheetId, tabTitle: tab.title, rows, hiddenRows, hiddenColumns, typedCells };
}
