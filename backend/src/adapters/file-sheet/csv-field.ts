// Renders one appended value as a CSV field, quoted only when the text would otherwise break the row.
import { capCell } from './cell-cap.js';
import type { AppendedValue } from './result-lookup.js';

export function csvField(value: AppendedValue, delimiter: string): string {
  return quotedField(capCell(valueText(value)), delimiter);
}

/** Any text as one field, uncut: also how a source field is written again when its record is rebuilt. */
export function quotedField(text: string, delimiter: string): string {
  // Leading/trailing spaces are quoted too: some readers trim unquoted fields, and the model's text should survive as given.
  const needsQuotes = text.includes(delimiter) || /["\r\n]/.test(text) || /^\s|\s$/.test(text);
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

function valueText(value: AppendedValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return String(value);
}
