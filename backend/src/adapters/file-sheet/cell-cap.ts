// Caps an appended cell's text at a spreadsheet's per-cell limit, marking the cut so nobody mistakes it for the whole answer.

/** Google Sheets refuses cells over 50,000 characters; CSV output uses the same cap so a file imports cleanly. */
export const CELL_CHAR_LIMIT = 50_000;
/** Excel's own per-cell limit: a longer cell makes Excel "repair" the workbook on open, dropping the text. */
export const XLSX_CELL_CHAR_LIMIT = 32_767;
export const CUT_MARKER = '…[cut]';

/** Returns `text` unchanged when it fits in `limit` characters (default 50,000), else a cut ending in CUT_MARKER, `limit` long at most. */
export function capCell(text: string, limit: number = CELL_CHAR_LIMIT): string {
  if (!Number.isInteger(limit) || limit <= CUT_MARKER.length) {
    throw new RangeError(`limit must be an integer above ${CUT_MARKER.length}, got ${limit}`);
  }
  if (text.length <= limit) return text;
  let end = limit - CUT_MARKER.length;
  // Never split a surrogate pair: half an emoji is an invalid character in every file format.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + CUT_MARKER;
}
