// Sheet: one tab — size, data extent, ranges, the active selection on it, hidden rows, tab-level developer metadata.
import { rectFromA1 } from './a1-range.js';
import { addMetadata, metadataAt, type DeveloperMetadataFace } from './developer-metadata.js';
import type { AppsScriptHost, TabInfo } from './host.js';
import { RangeFace, RangeListFace } from './range.js';

function positive(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new Error(`Cannot convert ${String(n)} to int (${what}).`);
  return n;
}

export class SheetFace {
  constructor(
    readonly host: AppsScriptHost,
    /** The SpreadsheetFace holding this tab (typed loosely so the two files do not import each other). */
    private readonly parent: object,
    private readonly sheetId: number,
  ) {}

  getSheetId(): number {
    return this.sheetId;
  }

  getName(): string {
    return this.info().title;
  }

  /** 1-based position among the tabs. */
  getIndex(): number {
    return this.info().index + 1;
  }

  getParent(): object {
    return this.parent;
  }

  getMaxRows(): number {
    return this.info().rowCount;
  }

  getMaxColumns(): number {
    return this.info().columnCount;
  }

  getLastRow(): number {
    return this.host.sheet.extent(this.sheetId).lastRow;
  }

  getLastColumn(): number {
    return this.host.sheet.extent(this.sheetId).lastColumn;
  }

  /** getRange(a1) or getRange(row, column, numRows = 1, numColumns = 1), 1-based. */
  getRange(a1OrRow: string | number, column?: number, numRows = 1, numColumns = 1): RangeFace {
    if (typeof a1OrRow === 'string') return new RangeFace(this, rectFromA1(this.host.sheet.spreadsheet(), a1OrRow, this.sheetId));
    const row = positive(a1OrRow, 'row');
    const col = positive(column, 'column');
    positive(numRows, 'numRows');
    positive(numColumns, 'numColumns');
    if (row < 1) throw new Error('The starting row of the range is too small.');
    if (col < 1) throw new Error('The starting column of the range is too small.');
    if (numRows < 1) throw new Error('The number of rows in the range must be at least 1.');
    if (numColumns < 1) throw new Error('The number of columns in the range must be at least 1.');
    const tab = this.info();
    if (row + numRows - 1 > tab.rowCount || col + numColumns - 1 > tab.columnCount) throw new Error('The coordinates of the range are outside the dimensions of the sheet.');
    return new RangeFace(this, { sheetId: this.sheetId, row, column: col, numRows, numColumns });
  }

  getDataRange(): RangeFace {
    const { lastRow, lastColumn } = this.host.sheet.extent(this.sheetId);
    return this.getRange(1, 1, Math.max(lastRow, 1), Math.max(lastColumn, 1));
  }

  /** The selected ranges when the selection is on this tab; null otherwise (as in Apps Script). */
  getActiveRangeList(): RangeListFace | null {
    const ranges = this.selectedRanges();
    return ranges.length === 0 ? null : new RangeListFace(ranges);
  }

  getActiveRange(): RangeFace | null {
    return this.selectedRanges().at(-1) ?? null;
  }

  isRowHiddenByUser(row: number): boolean {
    return this.host.sheet.hiddenRows(this.sheetId, row, row).length > 0;
  }

  /** The stand-in has no filters, so no row is ever hidden by one. */
  isRowHiddenByFilter(_row: number): boolean {
    return false;
  }

  getFilter(): null {
    return null;
  }

  getFrozenRows(): number {
    return 0;
  }

  getDeveloperMetadata(): DeveloperMetadataFace[] {
    return metadataAt(this.host, (l) => l.kind === 'sheet' && l.sheetId === this.sheetId);
  }

  addDeveloperMetadata(...args: unknown[]): SheetFace {
    addMetadata(this.host, { kind: 'sheet', sheetId: this.sheetId }, args);
    return this;
  }

  private selectedRanges(): RangeFace[] {
    const selection = this.host.activeSelection();
    if (selection.sheetId !== this.sheetId) return [];
    const info = this.host.sheet.spreadsheet();
    return selection.ranges.map((a1) => new RangeFace(this, rectFromA1(info, a1, this.sheetId)));
  }

  private info(): TabInfo {
    const tab = this.host.sheet.spreadsheet().tabs.find((t) => t.sheetId === this.sheetId);
    if (!tab) throw new Error(`The sheet ${this.sheetId} has been deleted.`);
    return tab;
  }
}
