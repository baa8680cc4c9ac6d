// What a cell holds and how it reads back: typed values, formulas kept as text (never evaluated), Google's render options.
import { invalidArgument } from './api-error.js';

/** A formula cell. The stand-in stores formulas but never evaluates them. */
export interface Formula {
  readonly formula: string;
}

export type CellValue = string | number | boolean | Formula;

/** Google refuses a cell longer than this. */
export const CELL_CHAR_LIMIT = 50_000;

export type ValueRenderOption = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
export type ValueInputOption = 'RAW' | 'USER_ENTERED';

export function isFormula(value: CellValue | undefined): value is Formula {
  return typeof value === 'object' && value !== null;
}

/** How a cell reads back over the API. Formulas read as their text under every option, as they are not evaluated. */
export function renderCell(value: CellValue, option: ValueRenderOption): string | number | boolean {
  if (isFormula(value)) return value.formula;
  if (option !== 'FORMATTED_VALUE') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return formatNumber(value);
  return value;
}

/** Google's "Automatic" number format, near enough: up to 15 significant digits, `E` exponents. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  return String(Number(n.toPrecision(15))).replace('e', 'E');
}

/**
 * What a written value becomes. RAW stores strings verbatim — `=IMPORTXML(…)` stays text — while USER_ENTERED parses
 * them as if typed: formulas, numbers, TRUE/FALSE, and a leading apostrophe forcing text. Undefined means "clear".
 */
export function parseInput(raw: unknown, option: ValueInputOption, where: string): CellValue | undefined {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw invalidArgument(`Invalid value at '${where}': not a finite number`);
    return raw;
  }
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string') throw invalidArgument(`Invalid value at '${where}' (${describe(raw)}): expected a string, number or boolean`);
  if (raw.length > CELL_CHAR_LIMIT) {
    throw invalidArgument(`Your input contains more than the maximum of ${CELL_CHAR_LIMIT} characters in a single cell.`);
  }
  if (raw === '') return undefined;
  if (option === 'RAW') return raw;
  if (raw.startsWith("'")) return raw.slice(1);
  if (raw.startsWith('=') && raw.length > 1) return { formula: raw };
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  const trimmed = raw.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return Number(trimmed);
  return raw;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'list_value' : `${typeof value}_value`;
}
