// A1 text to a 1-based rectangle on a tab, open ends clipped to the grid, as SpreadsheetApp's getRange(a1) reads it.
import { A1Error, parseA1 } from '../a1.js';
import type { SpreadsheetInfo, TabInfo } from './host.js';

export interface GridRect {
  readonly sheetId: number;
  readonly row: number;
  readonly column: number;
  readonly numRows: number;
  readonly numColumns: number;
}

export function rectFromA1(info: SpreadsheetInfo, text: string, defaultSheetId: number): GridRect {
  let parsed;
  try {
    parsed = parseA1(text);
  } catch (error) {
    throw new Error(error instanceof A1Error ? `Range not found (${text})` : String(error));
  }
  const tab: TabInfo | undefined =
    parsed.sheetTitle === undefined ? info.tabs.find((t) => t.sheetId === defaultSheetId) : info.tabs.find((t) => t.title === parsed.sheetTitle);
  if (!tab) throw new Error(`Range not found (${text})`);
  const startRow = parsed.startRow ?? 0;
  const endRow = Math.min(parsed.endRow ?? tab.rowCount, tab.rowCount);
  const startColumn = parsed.startColumn ?? 0;
  const endColumn = Math.min(parsed.endColumn ?? tab.columnCount, tab.columnCount);
  if (startRow >= endRow || startColumn >= endColumn) throw new Error(`Range not found (${text})`);
  return { sheetId: tab.sheetId, row: startRow + 1, column: startColumn + 1, numRows: endRow - startRow, numColumns: endColumn - startColumn };
}
