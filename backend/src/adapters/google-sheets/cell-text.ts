// Cell text both ways: model output typed as Sheets values and cut at the per-cell limit, and cells read back as strings.
import type { OutputValue } from '../../ports/domain.js';

/** Google Sheets refuses cells over 50,000 characters. */
export const CELL_CHAR_LIMIT = 50_000;
export const CUT_MARKER = '…[cut]';

/** Returns `text` unchanged when it fits, else a cut ending in CUT_MARKER, never splitting a surrogate pair. */
export function capCell(text: string, limit: number = CELL_CHAR_LIMIT): string {
  if (text.length <= limit) return text;
  let end = limit - CUT_MARKER.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + CUT_MARKER;
}

export type SheetCell = string | number | boolean;

/** A model value as a cell: text capped, numbers and booleans typed, null written as an empty cell (the model found nothing). */
export function outputCell(value: OutputValue | undefined): SheetCell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return capCell(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return '';
  return value;
}

/** A cell as read back (formatted values arrive as strings; anything else is stringified). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}
