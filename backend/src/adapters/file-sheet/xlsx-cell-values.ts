// Turns an Excel cell into what a person sees in it (for reading) or into a plain value with no formula (for copying).
import type { CellValue } from 'exceljs';

/** A cell's value with any formula replaced by its cached result: what the enriched copy stores. */
export type PlainCellValue = Exclude<CellValue, { formula: string } | { sharedFormula: string }>;

/**
 * Formulas become their cached result so the copy never recomputes (or runs) anything; a numeric result in a
 * date-formatted cell becomes a date, since the reader cannot see the result's type any other way.
 */
export function plainValue(value: CellValue, numFmt: string | undefined, date1904: boolean): PlainCellValue {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || value instanceof Date) return value;
  if ('formula' in value || 'sharedFormula' in value) {
    const result: unknown = value.result;
    if (typeof result === 'number') {
      if (Number.isNaN(result)) return null;
      return isDateFormat(numFmt) ? serialToDate(result, date1904) : result;
    }
    if (typeof result === 'string' || typeof result === 'boolean' || result instanceof Date) return result;
    if (result !== null && typeof result === 'object' && 'error' in result) return result as PlainCellValue;
    return null;
  }
  return value;
}

/**
 * The value the enriched copy stores: plain, with rich text flattened to its text. exceljs's streaming reader keeps
 * only the last run of an inline rich-text cell, so copying runs would garble the copy for the next reader.
 */
export function copiedValue(value: CellValue, numFmt: string | undefined, date1904: boolean): PlainCellValue {
  const plain = plainValue(value, numFmt, date1904);
  if (plain !== null && typeof plain === 'object' && !(plain instanceof Date) && ('richText' in plain || 'hyperlink' in plain)) {
    return displayText(plain, numFmt, date1904);
  }
  return plain;
}

/** The text a spreadsheet shows: rich text joined, links as their text, dates as ISO dates, numbers to 15 digits like Excel. */
export function displayText(value: CellValue, numFmt: string | undefined, date1904: boolean): string {
  const plain = plainValue(value, numFmt, date1904);
  if (plain === null || plain === undefined) return '';
  if (typeof plain === 'string') return plain;
  if (typeof plain === 'boolean') return plain ? 'TRUE' : 'FALSE';
  if (typeof plain === 'number') return Number.isFinite(plain) ? String(Number(plain.toPrecision(15))) : '';
  if (plain instanceof Date) return isoDate(plain);
  if ('richText' in plain) return plain.richText.map((run) => run.text ?? '').join('');
  if ('hyperlink' in plain) return textOf(plain.text);
  if ('error' in plain) return plain.error;
  return '';
}

/** `2024-03-05` for a whole day, `2024-03-05T14:30:00` when the cell holds a time too (Excel dates carry no zone). */
export function isoDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  return date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0 ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** True for number formats that show a date or a time (yyyy-mm-dd, h:mm, [h]:mm…), ignoring quoted text and colours. */
export function isDateFormat(numFmt: string | undefined): boolean {
  if (numFmt === undefined || numFmt === '') return false;
  if (/\[(h+|m+|s+)\]/i.test(numFmt)) return true;
  const bare = numFmt.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - (date1904 ? -1462 : 25569)) * 86_400_000));
}

function textOf(text: unknown): string {
  if (typeof text === 'string') return text;
  if (text !== null && typeof text === 'object' && 'richText' in text && Array.isArray(text.richText)) {
    return (text.richText as { text?: string }[]).map((run) => run.text ?? '').join('');
  }
  return '';
}
