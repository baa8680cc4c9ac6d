// Developer metadata as Sheets keeps it: entries on the spreadsheet, a tab, or one row or column, moving with their location.
import type { Dimension } from './tab.js';

export type Visibility = 'DOCUMENT' | 'PROJECT';

export type MetadataLocation =
  | { readonly kind: 'spreadsheet' }
  | { readonly kind: 'sheet'; readonly sheetId: number }
  | { readonly kind: 'row' | 'column'; readonly sheetId: number; readonly index: number };

export interface DeveloperMetadataEntry {
  readonly id: number;
  readonly key: string;
  readonly value: string | undefined;
  readonly visibility: Visibility;
  readonly location: MetadataLocation;
}

/** Google's cap: the spreadsheet, and each tab with its rows and columns, may hold this many characters of keys and values. */
export const METADATA_CHAR_LIMIT = 30_000;

export function metadataSize(entry: Pick<DeveloperMetadataEntry, 'key' | 'value'>): number {
  return entry.key.length + (entry.value?.length ?? 0);
}

/** Which limit an entry counts toward: `spreadsheet`, or the tab's id. */
export function limitBucket(location: MetadataLocation): 'spreadsheet' | number {
  return location.kind === 'spreadsheet' ? 'spreadsheet' : location.sheetId;
}

function dimensionKind(dimension: Dimension): 'row' | 'column' {
  return dimension === 'ROWS' ? 'row' : 'column';
}

export class DeveloperMetadataStore {
  private entries = new Map<number, DeveloperMetadataEntry>();

  constructor(entries: readonly DeveloperMetadataEntry[] = []) {
    for (const e of entries) this.entries.set(e.id, e);
  }

  list(): DeveloperMetadataEntry[] {
    return [...this.entries.values()].sort((a, b) => a.id - b.id);
  }

  get(id: number): DeveloperMetadataEntry | undefined {
    return this.entries.get(id);
  }

  has(id: number): boolean {
    return this.entries.has(id);
  }

  add(entry: DeveloperMetadataEntry): void {
    this.entries.set(entry.id, entry);
  }

  delete(id: number): DeveloperMetadataEntry | undefined {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    return entry;
  }

  /** Characters of keys and values counted toward one limit bucket. */
  usage(bucket: 'spreadsheet' | number): number {
    let total = 0;
    for (const e of this.entries.values()) if (limitBucket(e.location) === bucket) total += metadataSize(e);
    return total;
  }

  /** Rows or columns opened at `start`: entries at or after it move along. */
  insert(sheetId: number, dimension: Dimension, start: number, count: number): void {
    this.remap(sheetId, dimensionKind(dimension), (i) => (i >= start ? i + count : i));
  }

  /** Rows or columns [start, end) removed: their entries go with them, later ones move back. */
  remove(sheetId: number, dimension: Dimension, start: number, end: number): void {
    this.remap(sheetId, dimensionKind(dimension), (i) => (i < start ? i : i >= end ? i - (end - start) : undefined));
  }

  /** Row entries follow their row through a sort: row `start + order[k]` became row `start + k`. */
  permuteRows(sheetId: number, start: number, order: readonly number[]): void {
    const destination = new Map<number, number>();
    order.forEach((from, k) => destination.set(start + from, start + k));
    this.remap(sheetId, 'row', (i) => destination.get(i) ?? i);
  }

  private remap(sheetId: number, kind: 'row' | 'column', move: (index: number) => number | undefined): void {
    for (const entry of [...this.entries.values()]) {
      const loc = entry.location;
      if (loc.kind !== kind || loc.sheetId !== sheetId) continue;
      const to = move(loc.index);
      if (to === undefined) this.entries.delete(entry.id);
      else if (to !== loc.index) this.entries.set(entry.id, { ...entry, location: { kind, sheetId, index: to } });
    }
  }
}
