// A start refused because outputs would replace what the user typed in existing columns, and how that is said.
import type { ColumnOverwrite } from '../ports/spreadsheet.js';

/** A start refused because outputs would replace the user's data without the caller's confirmation. */
export class OverwriteError extends Error {
  override readonly name = 'OverwriteError';
  constructor(readonly overwrites: readonly ColumnOverwrite[]) {
    super(overwriteMessage(overwrites));
  }
}

function cells(n: number): string {
  return `${n} filled ${n === 1 ? 'cell' : 'cells'}`;
}

/** `"Website" already has 370 filled cells in the selected rows; confirm to overwrite them.` (several columns listed in one sentence). */
export function overwriteMessage(overwrites: readonly ColumnOverwrite[]): string {
  const parts = overwrites.map((o, i) => (i === 0 ? `"${o.column}" already has ${cells(o.filledCells)}` : `"${o.column}" has ${cells(o.filledCells)}`));
  return `${parts.join(', ')} in the selected rows; confirm to overwrite them.`;
}
