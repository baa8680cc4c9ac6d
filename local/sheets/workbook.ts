// One spreadsheet: its tabs, cells and developer metadata, and the edits that move them as Google Sheets does. Pure, no I/O.
import { randomInt } from 'node:crypto';
import { A1Error, formatA1, parseA1, type A1Range } from './a1.js';
import { invalidArgument } from './api-error.js';
import type { CellValue } from './cell-value.js';
import {
  DeveloperMetadataStore,
  limitBucket,
  METADATA_CHAR_LIMIT,
  metadataSize,
  type DeveloperMetadataEntry,
  type MetadataLocation,
  type Visibility,
} from './developer-metadata.js';
import { sortOrder, type SortKey } from './sort-order.js';
import { Tab, type Dimension, type TabState } from './tab.js';

export type Role = 'reader' | 'writer';

/** A rectangle on one tab, 0-based, ends exclusive, clipped to the grid. */
export interface GridBox {
  readonly tab: Tab;
  readonly startRow: number;
  readonly endRow: number;
  readonly startColumn: number;
  readonly endColumn: number;
}

/** Optional bounds on a tab, as in a GridRange: an absent bound runs to the edge. */
export interface Bounds {
  readonly startRow?: number | undefined;
  readonly endRow?: number | undefined;
  readonly startColumn?: number | undefined;
  readonly endColumn?: number | undefined;
}

export interface NewMetadata {
  readonly id?: number | undefined;
  readonly key: string;
  readonly value?: string | undefined;
  readonly visibility: Visibility;
  readonly location: MetadataLocation;
}

export interface WorkbookState {
  readonly id: string;
  readonly title: string;
  readonly access: readonly (readonly [string, Role])[];
  readonly tabs: readonly TabState[];
  readonly metadata: readonly DeveloperMetadataEntry[];
}

export class Workbook {
  readonly access = new Map<string, Role>();
  readonly metadata: DeveloperMetadataStore;
  private readonly tabList: Tab[] = [];

  constructor(
    readonly id: string,
    public title: string,
    metadata: readonly DeveloperMetadataEntry[] = [],
  ) {
    this.metadata = new DeveloperMetadataStore(metadata);
  }

  /** Tabs in their display order. */
  get tabs(): readonly Tab[] {
    return [...this.tabList].sort((a, b) => a.index - b.index);
  }

  addTab(title: string, options: { sheetId?: number; rowCount?: number; columnCount?: number } = {}): Tab {
    if (this.tabByTitle(title)) throw invalidArgument(`A sheet with the name "${title}" already exists. Please enter another name.`);
    const sheetId = options.sheetId ?? (this.tabList.length === 0 ? 0 : Math.max(...this.tabList.map((t) => t.sheetId)) + 1);
    if (this.findTab(sheetId)) throw invalidArgument(`A sheet with the id ${sheetId} already exists.`);
    const tab = new Tab(sheetId, title, this.tabList.length, options.rowCount ?? 1000, options.columnCount ?? 26);
    this.tabList.push(tab);
    return tab;
  }

  findTab(sheetId: number): Tab | undefined {
    return this.tabList.find((t) => t.sheetId === sheetId);
  }

  tab(sheetId: number): Tab {
    const tab = this.findTab(sheetId);
    if (!tab) throw invalidArgument(`No grid with id: ${sheetId}`);
    return tab;
  }

  tabByTitle(title: string): Tab | undefined {
    return this.tabList.find((t) => t.title === title);
  }

  /** The rectangle an A1 range names, clipped to the grid; a bound past the grid is Google's "exceeds grid limits". */
  resolve(range: string | A1Range): GridBox {
    let parsed: A1Range;
    try {
      parsed = typeof range === 'string' ? parseA1(range) : range;
    } catch (error) {
      throw invalidArgument(error instanceof A1Error ? error.message : String(error));
    }
    const tab = parsed.sheetTitle === undefined ? this.tabs[0] : this.tabByTitle(parsed.sheetTitle);
    if (!tab) throw invalidArgument(`Unable to parse range: ${typeof range === 'string' ? range : String(parsed.sheetTitle)}`);
    return this.box(tab, parsed);
  }

  /** Clips bounds to a tab, refusing any that reach past its edge. */
  box(tab: Tab, bounds: Bounds): GridBox {
    const startRow = bounds.startRow ?? 0;
    const endRow = bounds.endRow ?? tab.rowCount;
    const startColumn = bounds.startColumn ?? 0;
    const endColumn = bounds.endColumn ?? tab.columnCount;
    if (startRow >= tab.rowCount || endRow > tab.rowCount || startColumn >= tab.columnCount || endColumn > tab.columnCount) {
      const shown = formatA1(tab.title, startRow, Math.max(endRow, startRow + 1), startColumn, Math.max(endColumn, startColumn + 1));
      throw invalidArgument(`Range (${shown}) exceeds grid limits. Max rows: ${tab.rowCount}, max columns: ${tab.columnCount}`);
    }
    return { tab, startRow, endRow, startColumn, endColumn };
  }

  /** One cell by A1 (`B3` or `'Tab'!B3`), for tests. */
  cell(a1: string): CellValue | undefined {
    const box = this.resolve(a1);
    return box.tab.get(box.startRow, box.startColumn);
  }

  /** A rectangle's cells as rows, blanks undefined, for tests. */
  values(a1: string): (CellValue | undefined)[][] {
    const box = this.resolve(a1);
    const rows: (CellValue | undefined)[][] = [];
    for (let r = box.startRow; r < box.endRow; r++) {
      const row: (CellValue | undefined)[] = [];
      for (let c = box.startColumn; c < box.endColumn; c++) row.push(box.tab.get(r, c));
      rows.push(row);
    }
    return rows;
  }

  /** Writes rows of values from the range's top-left cell, verbatim (RAW): null skips a cell, '' clears it. */
  setValues(a1: string, rows: readonly (readonly (CellValue | null)[])[]): void {
    const box = this.resolve(a1);
    rows.forEach((row, r) =>
      row.forEach((value, c) => {
        if (value === null) return;
        this.box(box.tab, { startRow: box.startRow + r, endRow: box.startRow + r + 1, startColumn: box.startColumn + c, endColumn: box.startColumn + c + 1 });
        box.tab.set(box.startRow + r, box.startColumn + c, value === '' ? undefined : value);
      }),
    );
  }

  insertDimension(sheetId: number, dimension: Dimension, start: number, end: number, inheritFromBefore = false): void {
    const tab = this.tab(sheetId);
    checkSpan(start, end, tab.count(dimension), dimension, true);
    if (inheritFromBefore && start === 0) throw invalidArgument('Cannot inherit from before when inserting at the start.');
    tab.insert(dimension, start, end - start);
    this.metadata.insert(sheetId, dimension, start, end - start);
  }

  deleteDimension(sheetId: number, dimension: Dimension, start: number, end: number): void {
    const tab = this.tab(sheetId);
    checkSpan(start, end, tab.count(dimension), dimension, false);
    if (end - start >= tab.count(dimension)) {
      throw invalidArgument(`You can't delete all the ${dimension === 'ROWS' ? 'rows' : 'columns'} on the sheet.`);
    }
    tab.remove(dimension, start, end);
    this.metadata.remove(sheetId, dimension, start, end);
  }

  appendDimension(sheetId: number, dimension: Dimension, length: number): void {
    if (!Number.isInteger(length) || length < 1) throw invalidArgument('length must be at least 1.');
    this.tab(sheetId).append(dimension, length);
  }

  setHidden(sheetId: number, dimension: Dimension, start: number, end: number, hidden: boolean): void {
    const tab = this.tab(sheetId);
    checkSpan(start, end, tab.count(dimension), dimension, false);
    const set = dimension === 'ROWS' ? tab.hiddenRows : tab.hiddenColumns;
    for (let i = start; i < end; i++) {
      if (hidden) set.add(i);
      else set.delete(i);
    }
  }

  /**
   * Sorts rows of a range by its keys. Cells inside the range's columns move with their row; when the range spans
   * every column the whole row moves, row developer metadata included.
   */
  sortRange(sheetId: number, bounds: Bounds, keys: readonly SortKey[]): void {
    const box = this.box(this.tab(sheetId), bounds);
    for (const key of keys) {
      if (key.column < box.startColumn || key.column >= box.endColumn) {
        throw invalidArgument(`Sort column ${key.column} is outside the range being sorted.`);
      }
    }
    const order = sortOrder(box.endRow - box.startRow, keys, (offset, column) => box.tab.get(box.startRow + offset, column));
    box.tab.permuteRows(box.startRow, order, box.startColumn, box.endColumn);
    if (box.startColumn === 0 && box.endColumn === box.tab.columnCount) this.metadata.permuteRows(sheetId, box.startRow, order);
  }

  createMetadata(spec: NewMetadata): DeveloperMetadataEntry {
    if (spec.key === '') throw invalidArgument('Developer metadata must have a key.');
    this.checkLocation(spec.location);
    let id = spec.id;
    if (id !== undefined) {
      if (!Number.isInteger(id) || id <= 0) throw invalidArgument(`Metadata id must be positive, got ${id}.`);
      if (this.metadata.has(id)) throw invalidArgument(`Developer metadata with id ${id} already exists.`);
    } else {
      do id = randomInt(1, 2 ** 31 - 1);
      while (this.metadata.has(id));
    }
    const entry: DeveloperMetadataEntry = { id, key: spec.key, value: spec.value, visibility: spec.visibility, location: spec.location };
    const bucket = limitBucket(spec.location);
    const total = this.metadata.usage(bucket) + metadataSize(entry);
    if (total > METADATA_CHAR_LIMIT) {
      const where = bucket === 'spreadsheet' ? 'the spreadsheet' : `sheet ${bucket}`;
      throw invalidArgument(
        `Developer metadata on ${where} would total ${total} characters, above the limit of ${METADATA_CHAR_LIMIT}.`,
      );
    }
    this.metadata.add(entry);
    return entry;
  }

  deleteMetadata(ids: readonly number[]): DeveloperMetadataEntry[] {
    return ids.map((id) => this.metadata.delete(id)).filter((e): e is DeveloperMetadataEntry => e !== undefined);
  }

  /** A deep copy, so a batch of edits can be applied all-or-nothing. */
  clone(): Workbook {
    return Workbook.fromState(this.toState());
  }

  /** Takes over another copy's content (after a batch applied cleanly to it); Tab objects held elsewhere stay live. */
  adopt(other: Workbook): void {
    this.title = other.title;
    const mine = new Map(this.tabList.map((t) => [t.sheetId, t]));
    this.tabList.length = 0;
    for (const tab of other.tabList) {
      const kept = mine.get(tab.sheetId);
      kept?.assign(tab);
      this.tabList.push(kept ?? tab);
    }
    for (const e of this.metadata.list()) this.metadata.delete(e.id);
    for (const e of other.metadata.list()) this.metadata.add(e);
  }

  toState(): WorkbookState {
    return {
      id: this.id,
      title: this.title,
      access: [...this.access.entries()],
      tabs: this.tabList.map((t) => t.toState()),
      metadata: this.metadata.list(),
    };
  }

  static fromState(state: WorkbookState): Workbook {
    const workbook = new Workbook(state.id, state.title, state.metadata);
    for (const [user, role] of state.access) workbook.access.set(user, role);
    for (const tab of state.tabs) workbook.tabList.push(Tab.fromState(tab));
    return workbook;
  }

  private checkLocation(location: MetadataLocation): void {
    if (location.kind === 'spreadsheet') return;
    const tab = this.tab(location.sheetId);
    if (location.kind === 'sheet') return;
    const count = tab.count(location.kind === 'row' ? 'ROWS' : 'COLUMNS');
    if (!Number.isInteger(location.index) || location.index < 0 || location.index >= count) {
      throw invalidArgument(`The ${location.kind} ${location.index} is outside the grid of sheet ${location.sheetId}.`);
    }
  }
}

/** Inserting may start at the very end (appending); other edits must stay inside the grid. */
function checkSpan(start: number, end: number, count: number, dimension: Dimension, inserting: boolean): void {
  const limit = inserting ? count : count - 1;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || start > limit || (!inserting && end > count)) {
    const unit = dimension === 'ROWS' ? 'rows' : 'columns';
    throw invalidArgument(`Invalid dimension range [${start}, ${end}): the sheet has ${count} ${unit}.`);
  }
}
