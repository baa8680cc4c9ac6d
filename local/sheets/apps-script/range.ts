// Range and RangeList: a rectangle of one tab, read and written through the host; values typed in are parsed as Sheets would.
import { columnLetters } from '../a1.js';
import { formatNumber, parseInput } from '../cell-value.js';
import type { GridRect } from './a1-range.js';
import { scalarText } from './enums.js';
import type { AppsScriptHost, CellData } from './host.js';

type Value = string | number | boolean | Date;

/** What getValues shows for a cell: '' when empty; formulas as their text, since the stand-in never evaluates them. */
function value(cell: CellData): string | number | boolean {
  if (cell === null) return '';
  return typeof cell === 'object' ? cell.formula : cell;
}

function display(cell: CellData): string {
  const v = value(cell);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return typeof v === 'number' ? formatNumber(v) : v;
}

/** setValue(s) behave like typing: `=…` becomes a formula, `12` a number, `TRUE` a boolean. */
function input(raw: unknown): CellData {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Date) return raw.toISOString();
  const parsed = parseInput(typeof raw === 'number' || typeof raw === 'boolean' ? raw : scalarText(raw), 'USER_ENTERED', 'value');
  return parsed === undefined ? null : parsed;
}

/** The tab a range belongs to (a SheetFace), named structurally so the two files do not import each other. */
export interface RangeSheet {
  readonly host: AppsScriptHost;
}

export class RangeFace {
  constructor(
    private readonly sheet: RangeSheet,
    private readonly rect: GridRect,
  ) {}

  getSheet(): RangeSheet {
    return this.sheet;
  }

  getRow(): number {
    return this.rect.row;
  }

  getColumn(): number {
    return this.rect.column;
  }

  getNumRows(): number {
    return this.rect.numRows;
  }

  getNumColumns(): number {
    return this.rect.numColumns;
  }

  getLastRow(): number {
    return this.rect.row + this.rect.numRows - 1;
  }

  getLastColumn(): number {
    return this.rect.column + this.rect.numColumns - 1;
  }

  getA1Notation(): string {
    const first = `${columnLetters(this.rect.column - 1)}${this.rect.row}`;
    if (this.rect.numRows === 1 && this.rect.numColumns === 1) return first;
    return `${first}:${columnLetters(this.getLastColumn() - 1)}${this.getLastRow()}`;
  }

  getValues(): (string | number | boolean)[][] {
    return this.cells().map((row) => row.map(value));
  }

  getDisplayValues(): string[][] {
    return this.cells().map((row) => row.map(display));
  }

  getValue(): string | number | boolean {
    return value(this.cells()[0]?.[0] ?? null);
  }

  getDisplayValue(): string {
    return display(this.cells()[0]?.[0] ?? null);
  }

  setValues(values: readonly (readonly Value[])[]): RangeFace {
    if (!Array.isArray(values) || values.length !== this.rect.numRows) {
      throw new Error(`The number of rows in the data does not match the number of rows in the range. The data has ${Array.isArray(values) ? values.length : 0} but the range has ${this.rect.numRows}.`);
    }
    const rows = values.map((row) => {
      if (!Array.isArray(row) || row.length !== this.rect.numColumns) {
        throw new Error(`The number of columns in the data does not match the number of columns in the range. The data has ${Array.isArray(row) ? row.length : 0} but the range has ${this.rect.numColumns}.`);
      }
      return row.map(input);
    });
    this.sheet.host.sheet.write(this.rect.sheetId, this.rect.row, this.rect.column, rows);
    return this;
  }

  /** Sets every cell of the range to one value. */
  setValue(v: Value): RangeFace {
    const cell = input(v);
    const rows = Array.from({ length: this.rect.numRows }, () => Array.from({ length: this.rect.numColumns }, () => cell));
    this.sheet.host.sheet.write(this.rect.sheetId, this.rect.row, this.rect.column, rows);
    return this;
  }

  private cells(): CellData[][] {
    return this.sheet.host.sheet.read(this.rect.sheetId, this.rect.row, this.rect.column, this.rect.numRows, this.rect.numColumns);
  }
}

export class RangeListFace {
  constructor(private readonly ranges: readonly RangeFace[]) {}

  getRanges(): RangeFace[] {
    return [...this.ranges];
  }
}
