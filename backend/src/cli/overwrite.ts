// Outputs named like an existing column: how many filled cells they would replace, and what the user is told about it.
import type { FileSource } from './file-job.js';
import { ALL_ROWS, type RowSelection } from './row-selection.js';

export interface Overwrite {
  readonly column: string;
  /** Non-empty cells of the column in the selected rows. */
  readonly filledCells: number;
}

/** Counts the filled cells of every output that names an existing column (one more pass over the file, only then). */
export async function existingOutputCells(source: FileSource, selection: RowSelection, limit: number | undefined): Promise<Overwrite[]> {
  if (source.existingOutputs.length === 0) return [];
  const counts = await source.filledCells(source.existingOutputs, selection, limit);
  return source.existingOutputs.map((column) => ({ column, filledCells: counts.get(column) ?? 0 }));
}

const cells = (n: number) => `${n} filled cell${n === 1 ? '' : 's'}`;

/** `Website already has 370 filled cells; pass --overwrite to replace them` (one line, every such column named). */
export function overwriteRefusal(overwrites: readonly Overwrite[], selection: RowSelection, limit: number | undefined): string {
  const where = selection !== ALL_ROWS || limit !== undefined ? ' in the selected rows' : '';
  const [first, ...rest] = overwrites;
  const more = rest.map((o) => `, ${o.column} ${cells(o.filledCells)}`).join('');
  const total = overwrites.reduce((sum, o) => sum + o.filledCells, 0);
  return `${first?.column ?? ''} already has ${cells(first?.filledCells ?? 0)}${more}${where}; pass --overwrite to replace ${total === 1 ? 'it' : 'them'}`;
}

/** What `estimate` says when --overwrite is given: `Website: 370 filled cells will be replaced (--overwrite)`. */
export function overwriteNotice(overwrites: readonly Overwrite[]): string {
  return overwrites.map((o) => `${o.column}: ${cells(o.filledCells)} will be replaced (--overwrite)`).join('; ');
}
