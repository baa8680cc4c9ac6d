// One tab's grid: its size, a sparse map of cells, hidden rows and columns, and how they shift when dimensions change.
import type { CellValue } from './cell-value.js';

export type Dimension = 'ROWS' | 'COLUMNS';

export interface TabState {
  readonly sheetId: number;
  readonly title: string;
  readonly index: number;
  readonly rowCount: number;
  readonly columnCount: number;
  readonly hiddenRows: readonly number[];
  readonly hiddenColumns: readonly number[];
  /** Non-empty cells as [row, column, value], 0-based. */
  readonly cells: readonly (readonly [number, number, CellValue])[];
}

export class Tab {
  rowCount: number;
  columnCount: number;
  readonly hiddenRows = new Set<number>();
  readonly hiddenColumns = new Set<number>();
  /** row → column → value; rows and cells that are empty are absent. */
  private rows = new Map<number, Map<number, CellValue>>();

  constructor(
    readonly sheetId: number,
    public title: string,
    public index: number,
    rowCount: number,
    columnCount: number,
  ) {
    this.rowCount = rowCount;
    this.columnCount = columnCount;
  }

  get(row: number, column: number): CellValue | undefined {
    return this.rows.get(row)?.get(column);
  }

  /** Sets a cell; undefined clears it. */
  set(row: number, column: number, value: CellValue | undefined): void {
    let cells = this.rows.get(row);
    if (value === undefined) {
      cells?.delete(column);
      if (cells?.size === 0) this.rows.delete(row);
      return;
    }
    if (!cells) {
      cells = new Map();
      this.rows.set(row, cells);
    }
    cells.set(column, value);
  }

  /** Every non-empty cell, in row then column order. */
  *cells(): Generator<[number, number, CellValue]> {
    for (const row of [...this.rows.keys()].sort((a, b) => a - b)) {
      const cells = this.rows.get(row);
      if (!cells) continue;
      for (const column of [...cells.keys()].sort((a, b) => a - b)) yield [row, column, cells.get(column) as CellValue];
    }
  }

  count(dimension: Dimension): number {
    return dimension === 'ROWS' ? this.rowCount : this.columnCount;
  }

  /** Opens `count` empty rows or columns at `start`; everything at or after it moves down or right. */
  insert(dimension: Dimension, start: number, count: number): void {
    this.remap(dimension, (i) => (i >= start ? i + count : i));
    if (dimension === 'ROWS') this.rowCount += count;
    else this.columnCount += count;
  }

  /** Removes rows or columns [start, end) with their cells; everything after moves up or left. */
  remove(dimension: Dimension, start: number, end: number): void {
    const n = end - start;
    this.remap(dimension, (i) => (i < start ? i : i >= end ? i - n : undefined));
    if (dimension === 'ROWS') this.rowCount -= n;
    else this.columnCount -= n;
  }

  append(dimension: Dimension, count: number): void {
    if (dimension === 'ROWS') this.rowCount += count;
    else this.columnCount += count;
  }

  /**
   * Rows [start, start + order.length) take the cells of rows `start + order[k]` within columns [c0, c1); cells
   * outside those columns stay where they are, as in a Sheets range sort.
   */
  permuteRows(start: number, order: readonly number[], c0: number, c1: number): void {
    const taken = order.map((_, k) => {
      const cells = new Map<number, CellValue>();
      const row = this.rows.get(start + k);
      if (row) for (const [column, value] of row) if (column >= c0 && column < c1) cells.set(column, value);
      return cells;
    });
    order.forEach((from, k) => {
      const row = start + k;
      for (let column = c0; column < c1 && column < this.columnCount; column++) {
        if (this.get(row, column) !== undefined) this.set(row, column, undefined);
      }
      const source = taken[from];
      if (source) for (const [column, value] of source) this.set(row, column, value);
    });
  }

  /** Becomes a copy of another tab with the same id (an edited clone), so references to this object stay current. */
  assign(other: Tab): void {
    this.title = other.title;
    this.index = other.index;
    this.rowCount = other.rowCount;
    this.columnCount = other.columnCount;
    this.rows = other.rows;
    for (const [mine, theirs] of [
      [this.hiddenRows, other.hiddenRows],
      [this.hiddenColumns, other.hiddenColumns],
    ] as const) {
      mine.clear();
      for (const i of theirs) mine.add(i);
    }
  }

  toState(): TabState {
    return {
      sheetId: this.sheetId,
      title: this.title,
      index: this.index,
      rowCount: this.rowCount,
      columnCount: this.columnCount,
      hiddenRows: [...this.hiddenRows].sort((a, b) => a - b),
      hiddenColumns: [...this.hiddenColumns].sort((a, b) => a - b),
      cells: [...this.cells()],
    };
  }

  static fromState(state: TabState): Tab {
    const tab = new Tab(state.sheetId, state.title, state.index, state.rowCount, state.columnCount);
    for (const r of state.hiddenRows) tab.hiddenRows.add(r);
    for (const c of state.hiddenColumns) tab.hiddenColumns.add(c);
    for (const [row, column, value] of state.cells) tab.set(row, column, value);
    return tab;
  }

  private remap(dimension: Dimension, move: (index: number) => number | undefined): void {
    const next = new Map<number, Map<number, CellValue>>();
    for (const [row, cells] of this.rows) {
      if (dimension === 'ROWS') {
        const to = move(row);
        if (to !== undefined) next.set(to, cells);
        continue;
      }
      const moved = new Map<number, CellValue>();
      for (const [column, value] of cells) {
        const to = move(column);
        if (to !== undefined) moved.set(to, value);
      }
      if (moved.size > 0) next.set(row, moved);
    }
    this.rows = next;
    const hidden = dimension === 'ROWS' ? this.hiddenRows : this.hiddenColumns;
    const kept = [...hidden].map(move).filter((i): i is number => i !== undefined);
    hidden.clear();
    for (const i of kept) hidden.add(i);
  }
}
