// How a range sort orders cells, as Sheets does: numbers, then text (case-insensitive), then booleans; blanks always last.
import { isFormula, type CellValue } from './cell-value.js';

export interface SortKey {
  /** Absolute 0-based column index. */
  readonly column: number;
  readonly descending: boolean;
}

function rank(value: CellValue): number {
  if (typeof value === 'number') return 0;
  if (typeof value === 'string' || isFormula(value)) return 1;
  return 2;
}

function compareValues(a: CellValue, b: CellValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const ta = isFormula(a) ? a.formula : String(a);
  const tb = isFormula(b) ? b.formula : String(b);
  return ta.localeCompare(tb, 'en', { sensitivity: 'base' });
}

/**
 * The order rows take after the sort: result[k] is the offset of the row that lands at offset k. Stable, so rows
 * that compare equal keep their order, and blanks sink to the bottom whichever way the column is sorted.
 */
export function sortOrder(rowCount: number, keys: readonly SortKey[], cellAt: (offset: number, column: number) => CellValue | undefined): number[] {
  const offsets = Array.from({ length: rowCount }, (_, i) => i);
  return offsets.sort((x, y) => {
    for (const key of keys) {
      const a = cellAt(x, key.column);
      const b = cellAt(y, key.column);
      if (a === undefined || b === undefined) {
        if (a === undefined && b === undefined) continue;
        return a === undefined ? 1 : -1;
      }
      const c = compareValues(a, b);
      if (c !== 0) return key.descending ? -c : c;
    }
    return x - y;
  });
}
