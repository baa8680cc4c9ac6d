// The SheetPort over a live Workbook: the same model the REST face serves, so a write through either face shows in the other.
import type { CellValue } from '../cell-value.js';
import type { Workbook } from '../workbook.js';
import type { CellData, MetadataInfo, SheetPort } from './host.js';

function toData(value: CellValue | undefined): CellData {
  if (value === undefined) return null;
  return typeof value === 'object' ? { formula: value.formula } : value;
}

function toCell(data: CellData): CellValue | undefined {
  if (data === null || data === '') return undefined;
  return typeof data === 'object' ? { formula: data.formula } : data;
}

function info(entry: { id: number; key: string; value: string | undefined; visibility: MetadataInfo['visibility']; location: MetadataInfo['location'] }): MetadataInfo {
  return { id: entry.id, key: entry.key, value: entry.value ?? null, visibility: entry.visibility, location: entry.location };
}

export function workbookPort(workbook: Workbook): SheetPort {
  // Bounds are checked by the workbook (Google's "exceeds grid limits" wording), 0-based and end-exclusive.
  const box = (sheetId: number, row: number, column: number, numRows: number, numColumns: number) =>
    workbook.box(workbook.tab(sheetId), { startRow: row - 1, endRow: row - 1 + numRows, startColumn: column - 1, endColumn: column - 1 + numColumns });
  return {
    spreadsheet: () => ({
      id: workbook.id,
      title: workbook.title,
      tabs: workbook.tabs.map((t) => ({ sheetId: t.sheetId, title: t.title, index: t.index, rowCount: t.rowCount, columnCount: t.columnCount })),
    }),
    extent: (sheetId) => {
      let lastRow = 0;
      let lastColumn = 0;
      for (const [r, c] of workbook.tab(sheetId).cells()) {
        lastRow = Math.max(lastRow, r + 1);
        lastColumn = Math.max(lastColumn, c + 1);
      }
      return { lastRow, lastColumn };
    },
    read: (sheetId, row, column, numRows, numColumns) => {
      const b = box(sheetId, row, column, numRows, numColumns);
      const rows: CellData[][] = [];
      for (let r = b.startRow; r < b.endRow; r++) {
        const cells: CellData[] = [];
        for (let c = b.startColumn; c < b.endColumn; c++) cells.push(toData(b.tab.get(r, c)));
        rows.push(cells);
      }
      return rows;
    },
    write: (sheetId, row, column, values) => {
      const width = Math.max(0, ...values.map((r) => r.length));
      if (values.length === 0 || width === 0) return;
      const b = box(sheetId, row, column, values.length, width);
      values.forEach((cells, r) => cells.forEach((value, c) => b.tab.set(b.startRow + r, b.startColumn + c, toCell(value))));
    },
    hiddenRows: (sheetId, first, last) => {
      const hidden = workbook.tab(sheetId).hiddenRows;
      const rows: number[] = [];
      for (let r = first; r <= last; r++) if (hidden.has(r - 1)) rows.push(r);
      return rows;
    },
    listMetadata: () => workbook.metadata.list().map(info),
    addMetadata: (spec) => info(workbook.createMetadata({ key: spec.key, value: spec.value ?? undefined, visibility: spec.visibility, location: spec.location })),
    removeMetadata: (id) => {
      workbook.deleteMetadata([id]);
    },
  };
}
