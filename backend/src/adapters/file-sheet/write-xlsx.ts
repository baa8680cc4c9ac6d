// Writes the enriched copy of a workbook with exceljs's streaming writer: every sheet's values copied, new columns on one sheet.
import { createWriteStream } from 'node:fs';
import type { Cell, CellValue, Row, Worksheet } from 'exceljs';
import { capCell, XLSX_CELL_CHAR_LIMIT } from './cell-cap.js';
import { validateHeaders } from './headers.js';
import { inBatches, lookupResults, type AppendedValue, type ResultLookup } from './result-lookup.js';
import { isBlank } from './table.js';
import { assertNewHeaders, replacedIndexes, type WriteCounts } from './write-options.js';
import { copiedValue, displayText, plainValue } from './xlsx-cell-values.js';
import { readSheetExtras, type SheetExtras } from './xlsx-sheet-extras.js';
import { isWantedSheet, readSheetRows, sheetLabel } from './xlsx-sheet-rows.js';
import { openWorkbookStream, type WorkbookSheet } from './xlsx-workbook.js';
import { waitForZip } from './xlsx-zip-backlog.js';

export interface XlsxWriteJob {
  readonly source: string;
  readonly target: string;
  readonly sheetName: string | undefined;
  readonly appendHeaders: readonly string[];
  /** Existing columns whose cells take the first looked-up values (null keeps the cell). */
  readonly replaceHeaders: readonly string[];
  readonly lookup: ResultLookup;
  readonly batchSize: number;
}

interface TargetPlan {
  readonly headerRow: number;
  /** 1-based column numbers of the replaced columns, in `replaceHeaders` order. */
  readonly replaced: readonly number[];
  /** Columns before the first appended one: the widest row's last non-empty cell, so nothing is overwritten. */
  readonly width: number;
}

/**
 * The copy keeps each sheet's cell values, cell styles (so dates stay dates), row heights, the source's own formulas
 * with their cached results, and — for workbooks up to XLSX_EXTRAS_MAX_BYTES — merged ranges and the formulas Excel
 * shares down a range (larger workbooks keep memory flat and lose those two: a follower keeps its cached value).
 * Every appended cell is a value (text, number or boolean), never a formula. Rich text keeps its text but not its
 * per-run fonts, links keep their text but not their target, and column widths (exceljs's streaming reader drops
 * them), images, charts, comments, data validation and defined names are not carried over.
 */
export async function writeEnrichedXlsx(job: XlsxWriteJob): Promise<WriteCounts> {
  const plan = await planTarget(job);
  const extras = await readSheetExtras(job.source);
  // Loaded here, not at the top: exceljs takes ~0.5 s to load, and most files are CSV.
  const { default: ExcelJS } = await import('exceljs');
  const output = createWriteStream(job.target);
  const outputFailed = new Promise<never>((_, reject) => output.once('error', reject));
  outputFailed.catch(() => undefined);
  // Inline strings, not the shared-string table: that table would hold every distinct string in memory to the end.
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const workbook = openWorkbookStream(job.source);
  const counts = { rows: 0, filled: 0 };
  try {
    let index = 0;
    let targetDone = false;
    for await (const sheet of workbook.sheets) {
      const isTarget = !targetDone && isWantedSheet(sheet.name, job.sheetName, index);
      index += 1;
      const worksheet = writer.addWorksheet(sheet.name);
      const copy = new SheetCopier(worksheet, workbook.date1904(), extras?.get(sheet.name));
      if (isTarget) {
        targetDone = true;
        await copyTargetSheet(sheet, copy, job, plan, counts);
      } else {
        for await (const batch of inBatches(sheet.rows, job.batchSize)) {
          for (const row of batch) copy.row(row, undefined, 0);
          await waitForZip(worksheet);
        }
      }
      copy.finish();
      worksheet.commit();
    }
    await Promise.race([writer.commit(), outputFailed]);
  } catch (error) {
    output.destroy();
    throw error;
  }
  return counts;
}

async function copyTargetSheet(
  sheet: WorkbookSheet,
  copy: SheetCopier,
  job: XlsxWriteJob,
  plan: TargetPlan,
  counts: { rows: number; filled: number },
): Promise<void> {
  for await (const batch of inBatches(sheet.rows, job.batchSize)) {
    const wanted = batch.filter((row) => row.number > plan.headerRow && !copy.isBlank(row)).map((row) => row.number);
    const results = await lookupResults(job.lookup, wanted, plan.replaced.length + job.appendHeaders.length);
    for (const row of batch) {
      if (row.number < plan.headerRow) {
        copy.row(row, undefined, 0);
        continue;
      }
      const values = row.number === plan.headerRow ? undefined : results.get(row.number);
      const appended = row.number === plan.headerRow ? job.appendHeaders : values?.slice(plan.replaced.length);
      if (row.number > plan.headerRow) {
        counts.rows += 1;
        if (values !== undefined) counts.filled += 1;
      }
      const replacements = new Map<number, AppendedValue>();
      plan.replaced.forEach((column, i) => {
        const value = values?.[i] ?? null;
        if (value !== null) replacements.set(column, value);
      });
      copy.row(row, appended, plan.width, replacements);
    }
    await waitForZip(copy.worksheet);
  }
}

/** Reads the target sheet once up front: finds and checks its header, and measures its widest row. */
async function planTarget(job: XlsxWriteJob): Promise<TargetPlan> {
  let headerRow: number | undefined;
  let replaced: number[] = [];
  let width = 0;
  for await (const row of readSheetRows(job.source, job.sheetName)) {
    let last = row.values.length;
    while (last > 0 && row.values[last - 1] === '') last -= 1;
    if (last === 0) continue;
    if (headerRow === undefined) {
      const label = sheetLabel(job.source, row.sheetName);
      const headers = validateHeaders(row.values, label);
      assertNewHeaders(headers, job.appendHeaders, label);
      replaced = replacedIndexes(headers, job.replaceHeaders, label).map((index) => index + 1);
      headerRow = row.rowNumber;
    }
    width = Math.max(width, last);
  }
  if (headerRow === undefined) validateHeaders([], sheetLabel(job.source, undefined));
  return { headerRow: headerRow ?? 1, replaced, width };
}

/** A result as a cell: text (cut to Excel's limit), a typed number or boolean, or empty; never a formula. */
function resultValue(value: AppendedValue): AppendedValue {
  return typeof value === 'string' ? capCell(value, XLSX_CELL_CHAR_LIMIT) : value;
}

interface Merge {
  readonly range: string;
  readonly top: number;
  readonly bottom: number;
}

function mergeOf(range: string): Merge | undefined {
  const match = /^[A-Z]+(\d+)(?::[A-Z]+(\d+))?$/.exec(range);
  if (!match) return undefined;
  const top = Number(match[1]);
  return { range, top, bottom: match[2] === undefined ? top : Number(match[2]) };
}

/**
 * Copies source rows into one output sheet, in order, committing each so only the current batch stays in memory.
 * The streaming writer can only merge rows it has not committed yet, so rows under a pending merge wait for it.
 */
class SheetCopier {
  private pending: Merge[];

  constructor(
    readonly worksheet: Worksheet,
    private readonly date1904: boolean,
    private readonly extras: SheetExtras | undefined,
  ) {
    this.pending = (extras?.merges ?? []).flatMap((range) => mergeOf(range) ?? []).sort((a, b) => a.top - b.top);
  }

  /** Blank exactly as the reader judges it, so the rows looked up are the rows `Table.rows()` reported. */
  isBlank(row: Row): boolean {
    const texts: string[] = [];
    row.eachCell((cell) => {
      texts.push(displayText(cell.value, cell.numFmt, this.date1904));
    });
    return isBlank(texts);
  }

  row(source: Row, appended: readonly AppendedValue[] | undefined, width: number, replacements: ReadonlyMap<number, AppendedValue> = new Map()): void {
    this.mergeUpTo(source.number - 1);
    const target = this.worksheet.getRow(source.number);
    if (source.height) target.height = source.height;
    source.eachCell((cell, column) => {
      const out = target.getCell(column);
      out.value = this.copied(cell);
      if (Object.keys(cell.style).length > 0) out.style = cell.style;
    });
    // An answer replaces an existing cell (--overwrite) as a value, keeping the cell's style.
    for (const [column, value] of replacements) target.getCell(column).value = resultValue(value);
    appended?.forEach((value, offset) => {
      target.getCell(width + offset + 1).value = resultValue(value);
    });
    this.mergeUpTo(source.number);
    if (!this.pending.some((merge) => merge.top <= source.number)) target.commit();
  }

  /** Applies the merges left (their last rows were never in the file). Call before committing the sheet. */
  finish(): void {
    this.mergeUpTo(Number.POSITIVE_INFINITY);
  }

  private mergeUpTo(rowNumber: number): void {
    while (this.pending.length > 0) {
      const index = this.pending.findIndex((merge) => merge.bottom <= rowNumber);
      if (index < 0) return;
      const [merge] = this.pending.splice(index, 1);
      if (merge) this.worksheet.mergeCells(merge.range);
    }
  }

  /**
   * The source's own formulas stay formulas, with their cached results (so the copy shows them before any
   * recalculation); a shared formula's followers get theirs written out. Everything else is a plain value.
   */
  private copied(cell: Cell): CellValue {
    const value = cell.value;
    if (value !== null && typeof value === 'object' && 'formula' in value) {
      const formula = value.formula || this.extras?.sharedFormulas.get(cell.address);
      const result = plainValue(value, cell.numFmt, this.date1904);
      if (formula) return result === null ? { formula, date1904: this.date1904 } : ({ formula, result, date1904: this.date1904 } as CellValue);
    }
    return copiedValue(value, cell.numFmt, this.date1904);
  }
}
