// Reading and writing cell values as ValueRanges: render options, trimming, major dimension, RAW vs USER_ENTERED, fit checks.
import type { sheets_v4 } from '@googleapis/sheets';
import { columnLetters, formatA1 } from './a1.js';
import { invalidArgument } from './api-error.js';
import { parseInput, renderCell, type CellValue, type ValueInputOption, type ValueRenderOption } from './cell-value.js';
import type { Tab } from './tab.js';
import type { GridBox, Workbook } from './workbook.js';

export type MajorDimension = 'ROWS' | 'COLUMNS';

export function renderOptionOf(value: unknown): ValueRenderOption {
  if (value === undefined || value === null || value === '') return 'FORMATTED_VALUE';
  if (value === 'FORMATTED_VALUE' || value === 'UNFORMATTED_VALUE' || value === 'FORMULA') return value;
  throw invalidArgument(`Invalid value at 'value_render_option' (${JSON.stringify(value)})`);
}

export function majorDimensionOf(value: unknown): MajorDimension {
  if (value === undefined || value === null || value === '' || value === 'DIMENSION_UNSPECIFIED') return 'ROWS';
  if (value === 'ROWS' || value === 'COLUMNS') return value;
  throw invalidArgument(`Invalid value at 'major_dimension' (${JSON.stringify(value)})`);
}

export function inputOptionOf(value: unknown): ValueInputOption {
  if (value === 'RAW' || value === 'USER_ENTERED') return value;
  throw invalidArgument(`Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED`);
}

export function boxA1(box: GridBox): string {
  return formatA1(box.tab.title, box.startRow, box.endRow, box.startColumn, box.endColumn);
}

/** A rectangle's values as Google returns them: trailing blank rows and cells dropped, `values` absent when all blank. */
export function readBox(box: GridBox, render: ValueRenderOption, major: MajorDimension): sheets_v4.Schema$ValueRange {
  const outer = major === 'ROWS' ? [box.startRow, box.endRow] : [box.startColumn, box.endColumn];
  const inner = major === 'ROWS' ? [box.startColumn, box.endColumn] : [box.startRow, box.endRow];
  const values: (string | number | boolean)[][] = [];
  for (let i = outer[0] ?? 0; i < (outer[1] ?? 0); i++) {
    const line: (string | number | boolean)[] = [];
    let last = -1;
    for (let j = inner[0] ?? 0; j < (inner[1] ?? 0); j++) {
      const value = major === 'ROWS' ? box.tab.get(i, j) : box.tab.get(j, i);
      line.push(value === undefined ? '' : renderCell(value, render));
      if (value !== undefined) last = line.length - 1;
    }
    values.push(line.slice(0, last + 1));
  }
  while (values.length > 0 && values[values.length - 1]?.length === 0) values.pop();
  return { range: boxA1(box), majorDimension: major, ...(values.length > 0 ? { values } : {}) };
}

interface PlannedCell {
  readonly tab: Tab;
  readonly row: number;
  readonly column: number;
  readonly value: CellValue | undefined;
}

export interface PlannedWrite {
  readonly cells: readonly PlannedCell[];
  readonly response: sheets_v4.Schema$UpdateValuesResponse;
}

/**
 * Checks one ValueRange against the grid and turns it into cell writes, without applying them, so a batch is
 * all-or-nothing. A one-cell range is an anchor the values grow from; a wider range must hold them.
 */
export function planWrite(workbook: Workbook, spreadsheetId: string, data: sheets_v4.Schema$ValueRange, option: ValueInputOption, where: string): PlannedWrite {
  if (typeof data.range !== 'string') throw invalidArgument(`Invalid ${where}.range: a range is required`);
  const box = workbook.resolve(data.range);
  const major = majorDimensionOf(data.majorDimension);
  const rows = data.values ?? [];
  if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) throw invalidArgument(`Invalid ${where}.values: expected a list of lists`);
  const anchorOnly = box.endRow - box.startRow === 1 && box.endColumn - box.startColumn === 1;
  const cells: PlannedCell[] = [];
  let maxRow = box.startRow;
  let maxColumn = box.startColumn;
  const touchedRows = new Set<number>();
  const touchedColumns = new Set<number>();
  (rows as unknown[][]).forEach((line, i) =>
    line.forEach((raw, j) => {
      const row = box.startRow + (major === 'ROWS' ? i : j);
      const column = box.startColumn + (major === 'ROWS' ? j : i);
      if (!anchorOnly && row >= box.endRow) throw invalidArgument(`Requested writing within range [${data.range}], but tried writing to row [${row + 1}]`);
      if (!anchorOnly && column >= box.endColumn) {
        throw invalidArgument(`Requested writing within range [${data.range}], but tried writing to column [${columnLetters(column)}]`);
      }
      workbook.box(box.tab, { startRow: row, endRow: row + 1, startColumn: column, endColumn: column + 1 });
      maxRow = Math.max(maxRow, row);
      maxColumn = Math.max(maxColumn, column);
      if (raw === null || raw === undefined) return;
      cells.push({ tab: box.tab, row, column, value: parseInput(raw, option, `${where}.values[${i}][${j}]`) });
      touchedRows.add(row);
      touchedColumns.add(column);
    }),
  );
  return {
    cells,
    response: {
      spreadsheetId,
      updatedRange: formatA1(box.tab.title, box.startRow, maxRow + 1, box.startColumn, maxColumn + 1),
      updatedRows: touchedRows.size,
      updatedColumns: touchedColumns.size,
      updatedCells: cells.length,
    },
  };
}

export function applyWrite(plan: PlannedWrite): void {
  for (const c of plan.cells) c.tab.set(c.row, c.column, c.value);
}
