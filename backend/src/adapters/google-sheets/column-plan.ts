// Finds the input columns by header and Rowfill's columns by tag (or by header), and plans the ones to create.
import { SheetAccessError } from '../../ports/spreadsheet.js';
import { ID_HEADER, ID_TAG, outputTag, STATUS_HEADER, STATUS_TAG, type TaggedColumns } from './column-tags.js';

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
 * Where Rowfill's columns are and which to make. Every index is where the column is once the plan is applied; reads
 * taken before it map back through `readIndex`. New output columns go before the status column when there is one
 * (outputs, then status, then the hidden id), so a later job's outputs do not land after Rowfill's own columns.
 */
export interface ColumnPlan {
  readonly inputs: ReadonlyMap<string, number>;
  readonly id: number;
  readonly status: number;
  readonly outputs: ReadonlyMap<string, number>;
  /** New columns with their header text: inserted at `insert`, or appended after the last used one. */
  readonly created: readonly NewColumn[];
  /** Existing columns found by their header that still need their tag. */
  readonly adopted: readonly { readonly column: number; readonly tag: string }[];
  /** Columns to insert before the status column, if any: `count` columns from index `at`. */
  readonly insert: { readonly at: number; readonly count: number } | undefined;
  /** Columns the grid must grow by, after the insert, to hold the appended ones. */
  readonly appendColumns: number;
  /** A planned column's index in the sheet as read (before the plan), or undefined for a column the plan creates. */
  readIndex(column: number): number | undefined;
}

/** Exact header first, then case-insensitive and trimmed: `brand` finds `Brand `, but `Brand` finds `Brand` first. */
function findHeader(header: readonly string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact >= 0) return exact;
  const wanted = name.trim().toLowerCase();
  return header.findIndex((h) => h.trim().toLowerCase() === wanted);
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
  const existing = (tag: string, headerText: string): number | undefined => {
    const tagged = input.tagged.get(tag);
    if (tagged !== undefined) return tagged;
    const byHeader = input.header.indexOf(headerText);
    if (byHeader < 0 || taken.has(byHeader)) return undefined;
    taken.add(byHeader);
    adoptedAsRead.push({ column: byHeader, tag });
    return byHeader;
  };
  const outputsAsRead = input.outputs.map((name) => ({ name, column: existing(outputTag(name), name) }));
  const statusAsRead = existing(STATUS_TAG, STATUS_HEADER);
  const idAsRead = existing(ID_TAG, ID_HEADER);
  const missing = outputsAsRead.filter((o) => o.column === undefined);
  const insert = statusAsRead !== undefined && missing.length > 0 ? { at: statusAsRead, count: missing.length } : undefined;
  const moved = (column: number): number => (insert && column >= insert.at ? column + insert.count : column);

  const created: NewColumn[] = [];
  let next = moved(input.usedWidth);
  const append = (tag: string, header: string): number => {
    created.push({ column: next, header, tag });
    return next++;
  };
  const outputs = new Map<string, number>();
  let inserted = 0;
  for (const o of outputsAsRead) {
    if (o.column !== undefined) outputs.set(o.name, moved(o.column));
    else if (insert) {
      const column = insert.at + inserted++;
      created.push({ column, header: o.name, tag: outputTag(o.name) });
      outputs.set(o.name, column);
    } else outputs.set(o.name, append(outputTag(o.name), o.name));
  }
  const status = statusAsRead !== undefined ? moved(statusAsRead) : append(STATUS_TAG, STATUS_HEADER);
  const id = idAsRead !== undefined ? moved(idAsRead) : append(ID_TAG, ID_HEADER);
  const inputs = new Map([...inputsAsRead].map(([name, column]) => [name, moved(column)]));
  const createdAt = new Set(created.map((c) => c.column));
  const readIndex = (column: number): number | undefined => {
    if (createdAt.has(column)) return undefined;
    return insert && column >= insert.at + insert.count ? column - insert.count : column;
  };
  return {
    inputs,
    id,
    status,
    outputs,
    created,
    adopted: adoptedAsRead.map((a) => ({ column: moved(a.column), tag: a.tag })),
    insert,
    appendColumns: Math.max(0, next - (input.columnCount + (insert?.count ?? 0))),
    readIndex,
  };
}
