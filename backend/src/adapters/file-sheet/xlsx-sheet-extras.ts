// What exceljs's streaming reader drops but a copy should keep: merged ranges, and formulas Excel shares down a range.
import { stat } from 'node:fs/promises';

export interface SheetExtras {
  /** Merged ranges like `A5:B6`. */
  readonly merges: readonly string[];
  /** Cells that follow a shared formula (Excel's fill-down), by address, with the formula written out for that cell. */
  readonly sharedFormulas: ReadonlyMap<string, string>;
}

/**
 * Workbooks up to this size are also read whole, once, for their merges and shared formulas: the streaming reader
 * skips merges and gives a shared formula's followers no formula text. Larger ones keep memory flat instead, and
 * lose those two (a follower keeps its cached value).
 */
export const XLSX_EXTRAS_MAX_BYTES = 10 * 1024 * 1024;

/** Per sheet name; undefined when the workbook is too large to read whole. */
export async function readSheetExtras(path: string): Promise<Map<string, SheetExtras> | undefined> {
  if ((await stat(path)).size > XLSX_EXTRAS_MAX_BYTES) return undefined;
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch {
    return undefined; // the streaming pass reports a broken workbook in its own words
  }
  const extras = new Map<string, SheetExtras>();
  workbook.eachSheet((sheet) => {
    const sharedFormulas = new Map<string, string>();
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        const value: unknown = cell.value;
        if (value !== null && typeof value === 'object' && 'sharedFormula' in value && cell.formula) sharedFormulas.set(cell.address, cell.formula);
      });
    });
    const merges = (sheet.model as { merges?: unknown }).merges;
    extras.set(sheet.name, { merges: Array.isArray(merges) ? merges.filter((m): m is string => typeof m === 'string') : [], sharedFormulas });
  });
  return extras;
}
