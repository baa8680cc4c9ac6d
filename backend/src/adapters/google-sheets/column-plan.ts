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

export interface ColumnPlan {
  readonly inputs: ReadonlyMap<string, number>;
  readonly id: number;
  readonly status: number;
  readonly outputs: ReadonlyMap<string, number>;
  /** Columns appended after the last used one, with their header text. */
  readonly created: readonly NewColumn[];
  /** Existing columns found by their header that still need their tag. */
  readonly adopted: readonly { readonly column: number; readonly tag: string }[];
  /** Columns the grid must grow by to hold the created ones. */
  readonly appendColumns: number;
}

/** Exact header first, then case-insensitive and trimmed: `brand` finds `Brand `, but `Brand` finds `Brand` first. */
function findHeader(header: readonly string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact >= 0) return exact;
  const wanted = name.trim().toLowerCase();
  return header.findIndex((h) => h.trim().toLowerCase() === wanted);
}

export function planColumns(input: ColumnPlanInput): ColumnPlan {
  const inputs = new Map<string, number>();
  const unknown: string[] = [];
  for (const name of input.inputs) {
    const column = findHeader(input.header, name);
    if (column < 0) unknown.push(name);
    else inputs.set(name, column);
  }
  if (unknown.length > 0) {
    const present = input.header.filter((h) => h.trim() !== '');
    const list = present.length > 0 ? present.map((h) => `"${h}"`).join(', ') : '(none: the header row is empty)';
    throw new SheetAccessError(
      'unknown_column',
      `No column named ${unknown.map((n) => `"${n}"`).join(', ')} in header row ${input.headerRow}. The columns are: ${list}.`,
    );
  }
  const taken = new Set<number>([...inputs.values(), ...input.tagged.values()]);
  const created: NewColumn[] = [];
  const adopted: { column: number; tag: string }[] = [];
  let next = input.usedWidth;
  const place = (tag: string, headerText: string): number => {
    const tagged = input.tagged.get(tag);
    if (tagged !== undefined) return tagged;
    // A column someone made by hand (or whose tag was lost) is reused when its header matches exactly.
    const byHeader = input.header.indexOf(headerText);
    if (byHeader >= 0 && !taken.has(byHeader)) {
      taken.add(byHeader);
      adopted.push({ column: byHeader, tag });
      return byHeader;
    }
    const column = next;
    next += 1;
    created.push({ column, header: headerText, tag });
    return column;
  };
  const outputs = new Map<string, number>();
  for (const name of input.outputs) outputs.set(name, place(outputTag(name), name));
  const status = place(STATUS_TAG, STATUS_HEADER);
  const id = place(ID_TAG, ID_HEADER);
  return { inputs, id, status, outputs, created, adopted, appendColumns: Math.max(0, next - input.columnCount) };
}
