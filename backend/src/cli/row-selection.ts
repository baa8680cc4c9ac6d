// Parses `--rows 2-50,70` (spreadsheet row numbers; the header is row 1) into a membership test.
import { UsageError } from './usage-error.js';

export interface RowSelection {
  has(rowNumber: number): boolean;
}

export const ALL_ROWS: RowSelection = { has: () => true };

export function parseRowSelection(text: string): RowSelection {
  const ranges: Array<[number, number]> = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(\d+)(?:-(\d+)?)?$/.exec(part);
    if (!m) throw new UsageError(`--rows "${text}": "${part}" is not a row number or range like 2-50`);
    const from = Number(m[1]);
    const to = m[2] !== undefined ? Number(m[2]) : part.endsWith('-') ? Number.POSITIVE_INFINITY : from;
    if (from < 2) throw new UsageError(`--rows "${text}": row 1 is the header; data rows start at 2`);
    if (to < from) throw new UsageError(`--rows "${text}": range ${part} ends before it starts`);
    ranges.push([from, to]);
  }
  return { has: (n) => ranges.some(([a, b]) => n >= a && n <= b) };
}
