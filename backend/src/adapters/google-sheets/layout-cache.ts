// Remembers where each tab's tagged columns are, so a flush reads only the id column (found by its tag) in the common case.
import type { Clock } from '../../ports/clock.js';
import type { SheetRef } from '../../ports/spreadsheet.js';
import { ID_TAG, type TaggedColumns } from './column-tags.js';

/** Tabs remembered per gateway; the oldest is dropped past this. */
const MAX_TABS = 2000;

interface Entry {
  readonly tagged: TaggedColumns;
  readonly readAt: number;
}

export class LayoutCache {
  private readonly entries = new Map<string, Entry>();
  /** Tabs whose columns were found moved by a status write: the next flush asks for every finished row again. */
  private readonly moved = new Set<string>();

  constructor(
    private readonly clock: Clock,
    /**
     * Tagged columns are searched again after this long even when the id column has not moved: an insert or delete
     * left of Rowfill's columns moves the id column too (caught before every write), but a user dragging one output
     * column past another does not, and is caught at the next refresh.
     */
    private readonly refreshMs: number,
  ) {}

  private key(ref: SheetRef): string {
    return `${ref.spreadsheetId}\u0000${ref.sheetId}`;
  }

  /** The tab's tagged columns, unless unknown or due a refresh. */
  get(ref: SheetRef): TaggedColumns | undefined {
    const entry = this.entries.get(this.key(ref));
    return entry && this.clock.now() - entry.readAt < this.refreshMs ? entry.tagged : undefined;
  }

  /**
   * Stores a fresh search. True when a column Rowfill already wrote to is now elsewhere while the id column stayed put:
   * writes since the last search may have gone to the old place, so every finished row must be written again.
   */
  remember(ref: SheetRef, tagged: TaggedColumns): boolean {
    const key = this.key(ref);
    const before = this.entries.get(key);
    this.entries.delete(key);
    this.entries.set(key, { tagged, readAt: this.clock.now() });
    if (this.entries.size > MAX_TABS) this.entries.delete(this.entries.keys().next().value as string);
    if (!before || before.tagged === tagged || before.tagged.get(ID_TAG) !== tagged.get(ID_TAG)) return false;
    return [...before.tagged].some(([tag, column]) => tagged.has(tag) && tagged.get(tag) !== column);
  }

  /** A status write found the columns moved: the next flush of the tab reports it (see takeMoved). */
  markMoved(ref: SheetRef): void {
    this.moved.add(this.key(ref));
  }

  /** Whether a status write found the tab's columns moved since the last flush (and forgets it). */
  takeMoved(ref: SheetRef): boolean {
    return this.moved.delete(this.key(ref));
  }

  /** The tab's columns changed (a job was prepared on it) or its id column is gone: search again next time. */
  forget(ref: SheetRef): void {
    this.entries.delete(this.key(ref));
  }
}
