// Finds the input columns by header and Rowfill's columns by tag (or by header), and plans the ones to create.
import { SheetAccessError } from '../../ports/spreadsheet.js';
import { COST_HEADER, COST_TAG, ERROR_HEADER, ERROR_TAG, ID_HEADER, ID_TAG, outputTag, STATUS_HEADER, STATUS_TAG, type TaggedColumns } from './column-tags.js';

export interface ColumnPlanInput {
  readonly header: readonly string[];
  readonly headerRow: number;
  /** One past the last column used by the header, the rows read, or a tagged column. */
  readonly usedWidth: number;
  readonly columnCount: number;
  readonly tagged: TaggedColumns;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface NewColumn {
  readonly column: number;
  readonly header: string;
  readonly tag: string;
}

/**
 * Where Rowfill's columns are and which to make, laid out as outputs, status, error, cost, then the hidden id. Every
 * index is where the column is once the plan is applied; reads taken before it map back through `readIndex`. On a
 * sheet that already has a status column, new outputs are inserted before it and a missing error or cost column right
 * after it, so a later job's columns do not land after Rowfill's own; anything else is appended.
 */
export interface ColumnPlan {
  readonly inputs: ReadonlyMap<string, number>;
  readonly id: number;
  readonly status: number;
  readonly error: number;
  readonly cost: number;
  readonly outputs: ReadonlyMap<string, number>;
  /** New columns with their header text, at their final index (inserted or appended). */
  readonly created: readonly NewColumn[];
  /** Existing columns found by their header that still need their tag. */
  readonly adopted: readonly { readonly column: number; readonly tag: string }[];
  /** Columns to insert, `count` at index `at` of the sheet as read; rightmost first, so each `at` is still right when applied. */
  readonly inserts: readonly Insert[];
  /** Columns the grid must grow by, after the inserts, to hold the appended ones. */
  readonly appendColumns: number;
  /** A planned column's index in the sheet as read (before the plan), or undefined for a column the plan creates. */
  readIndex(column: number): number | undefined;
}

export interface Insert {
  readonly at: number;
  readonly count: number;
}

/** Exact header first, then case-insensitive and trimmed: `brand` finds `Brand `, but `Brand` finds `Brand` first. */
function findHeader(header: readonly string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact >= 0) return exact;
  const wanted = name.trim().toLowerCase();
  return header.findIndex((h) => h.trim().toLowerCase() === wanted);
}

interface Wanted {
  readonly tag: string;
  readonly header: string;
  /** Index as read, when the column exists. */
  readonly existing: number | undefined;
}

export function planColumns(input: ColumnPlanInput): ColumnPlan {
  const inputsAsRead = new Map<string, number>();
  const unknown: string[] = [];
  for (const name of input.inputs) {
    const column = findHeader(input.header, name);
    if (column < 0) unknown.push(name);
    else inputsAsRead.set(name, column);
  }
  if (unknown.length > 0) {
    const present = input.header.filter((h) => h.trim() !== '');
    const list = present.length > 0 ? present.map((h) => `"${h}"`).join(', ') : '(none: the header row is empty)';
    throw new SheetAccessError(
      'unknown_column',
      `No column named ${unknown.map((n) => `"${n}"`).join(', ')} in header row ${input.headerRow}. The columns are: ${list}.`,
    );
  }
  const taken = new Set<number>([...inputsAsRead.values(), ...input.tagged.values()]);
  const adoptedAsRead: { column: number; tag: string }[] = [];
  /** The column holding `tag` as read: tagged, or found by exact header (made by hand, or its tag was lost). */
  const find = (tag: string, header: string): Wanted => {
    const tagged = input.tagged.get(tag);
    if (tagged !== undefined) return { tag, header, existing: tagged };
    const byHeader = input.header.indexOf(header);
    if (byHeader < 0 || taken.has(byHeader)) return { tag, header, existing: undefined };
    taken.add(byHeader);
    adoptedAsRead.push({ column: byHeader, tag });
    return { tag, header, existing: byHeader };
  };
  const outputs = input.outputs.map((name) => ({ name, ...find(outputTag(name), name) }));
  const status = find(STATUS_TAG, STATUS_HEADER);
  const error = find(ERROR_TAG, ERROR_HEADER);
  const cost = find(COST_TAG, COST_HEADER);
  const id = find(ID_TAG, ID_HEADER);

  // Where each missing column goes: a group inserted at an index as read, or the end.
  const groups = new Map<number, Wanted[]>();
  const appended: Wanted[] = [];
  const put = (at: number | undefined, column: Wanted): void => {
    if (at === undefined || at >= input.usedWidth) appended.push(column);
    else groups.set(at, [...(groups.get(at) ?? []), column]);
  };
  const missingOutputs = outputs.filter((o) => o.existing === undefined);
  for (const o of missingOutputs) put(status.existing, o);
  if (status.existing === undefined) put(undefined, status);
  for (const c of [error, cost]) if (c.existing === undefined) put(status.existing === undefined ? undefined : status.existing + 1, c);
  if (id.existing === undefined) put(undefined, id);

  const inserts = [...groups].map(([at, columns]) => ({ at, count: columns.length })).sort((a, b) => a.at - b.at);
  const shiftBefore = (at: number, inclusive: boolean): number => inserts.reduce((n, g) => n + (g.at < at || (inclusive && g.at === at) ? g.count : 0), 0);
  const moved = (column: number): number => column + shiftBefore(column, true);

  const final = new Map<Wanted, number>();
  const created: NewColumn[] = [];
  for (const [at, columns] of groups) {
    columns.forEach((c, j) => {
      const column = at + shiftBefore(at, false) + j;
      final.set(c, column);
      created.push({ column, header: c.header, tag: c.tag });
    });
  }
  let next = moved(input.usedWidth);
  for (const c of appended) {
    final.set(c, next);
    created.push({ column: next, header: c.header, tag: c.tag });
    next++;
  }
  created.sort((a, b) => a.column - b.column);
  const at = (c: Wanted): number => (c.existing !== undefined ? moved(c.existing) : (final.get(c) as number));
  const createdAt = new Set(created.map((c) => c.column));
  const totalInserted = inserts.reduce((n, g) => n + g.count, 0);
  return {
    inputs: new Map([...inputsAsRead].map(([name, column]) => [name, moved(column)])),
    id: at(id),
    status: at(status),
    error: at(error),
    cost: at(cost),
    outputs: new Map(outputs.map((o) => [o.name, at(o)])),
    created,
    adopted: adoptedAsRead.map((a) => ({ column: moved(a.column), tag: a.tag })),
    inserts: [...inserts].reverse(),
    appendColumns: Math.max(0, next - (input.columnCount + totalInserted)),
    readIndex(column) {
      if (createdAt.has(column)) return undefined;
      let shift = 0;
      for (const g of inserts) if (g.at + shift + g.count <= column) shift += g.count;
      return column - shift;
    },
  };
}
