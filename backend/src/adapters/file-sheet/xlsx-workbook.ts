// Streams a workbook's worksheets and their rows with exceljs, one sheet at a time, turning library failures into FileSheetErrors.
import { Readable } from 'node:stream';
import type { Row } from 'exceljs';
import { FileSheetError, reasonOf } from './errors.js';
import { fileLabel } from './file-format.js';
import { openZipInput } from './xlsx-zip-input.js';

export interface WorkbookSheet {
  readonly name: string;
  /** The sheet's rows in order; rows absent from the file (never touched in Excel) are not listed. */
  readonly rows: AsyncIterable<Row>;
}

export interface WorkbookStream {
  readonly sheets: AsyncIterable<WorkbookSheet>;
  /** Whether serial dates count from 1904 (old Mac workbooks); known once the first sheet has been reached. */
  date1904(): boolean;
}

/** The parts of exceljs's streaming worksheet reader used here; its published types omit them. */
interface StreamWorksheet extends AsyncIterable<Row> {
  readonly name: string;
  /** The sheet's XML source: a read stream over a temp file when exceljs had to park the sheet there. */
  readonly iterator?: unknown;
}
interface StreamWorkbook extends AsyncIterable<StreamWorksheet> {
  readonly properties?: { readonly model?: { readonly date1904?: boolean } };
  readonly model?: { readonly sheets?: readonly unknown[] };
}

/**
 * Shared strings must be cached (they are stored apart from the rows); styles are cached because dates are only
 * dates through their number format. Hyperlinks are ignored, which leaves each linked cell holding its shown text.
 */
export function openWorkbookStream(path: string): WorkbookStream {
  const label = fileLabel(path);
  let reader: StreamWorkbook | undefined;

  async function* sheets(): AsyncGenerator<WorkbookSheet> {
    // Loaded here, not at the top: exceljs takes ~0.5 s to load, and most files are CSV.
    const { default: ExcelJS } = await import('exceljs');
    const input = openZipInput(path);
    reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    }) as unknown as StreamWorkbook;
    const iterator = guard(reader, label);
    let seen = 0;
    let done = false;
    let parked = false;
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const sheet = next.value;
        seen += 1;
        parked = sheet.iterator instanceof Readable;
        try {
          yield { name: sheet.name, rows: guard(sheet, label, assertStringsLoaded) };
        } finally {
          releaseSheet(sheet);
        }
      }
      done = true;
      // A workbook part that never arrived must fail the read, never silently drop a sheet from a copy.
      const listed = reader.model?.sheets?.length;
      if (listed === undefined || listed > seen) {
        throw new FileSheetError('unreadable', `Could not read ${label} as an Excel workbook: some of its parts are missing`);
      }
    } finally {
      if (!done) await stopEarly(iterator, parked);
      input.destroy();
    }
  }

  return { sheets: { [Symbol.asyncIterator]: sheets }, date1904: () => reader?.properties?.model?.date1904 === true };
}

/**
 * exceljs parks a sheet that precedes the shared strings in a temp file and, once the caller moves on, deletes that
 * file whether or not its read stream is still opening: a skipped sheet then fails with an uncaught ENOENT. Closing
 * the stream first (and swallowing its late error) makes skipping a sheet, or stopping after the header, safe.
 */
function releaseSheet(sheet: StreamWorksheet): void {
  const source = sheet.iterator;
  if (source instanceof Readable && !source.destroyed) {
    source.on('error', () => undefined);
    source.destroy();
  }
}

/**
 * Once a parked sheet is reached the whole zip has been read, and exceljs deletes each temp file (closing its handle)
 * only as it moves past it: walking the remaining parked sheets without parsing them is cheap and leaves no temp
 * files or open handles behind. A sheet streamed straight from the zip has no such files, so reading just stops.
 */
async function stopEarly(iterator: AsyncGenerator<StreamWorksheet>, parked: boolean): Promise<void> {
  try {
    if (parked) {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) releaseSheet(next.value);
    } else {
      await iterator.return(undefined);
    }
  } catch {
    // The caller already has what it came for; a failure while tidying up changes nothing it was given.
  }
}

/** A cell still pointing into the shared-string table means the table was never loaded: its text would read as blank. */
function assertStringsLoaded(row: Row): void {
  row.eachCell((cell) => {
    const value: unknown = cell.value;
    if (value !== null && typeof value === 'object' && 'sharedString' in value) {
      throw new Error('its shared strings table could not be read');
    }
  });
}

async function* guard<T>(source: AsyncIterable<T>, label: string, check?: (item: T) => void): AsyncGenerator<T> {
  try {
    for await (const item of source) {
      check?.(item);
      yield item;
    }
  } catch (error) {
    if (error instanceof FileSheetError) throw error;
    throw new FileSheetError('unreadable', `Could not read ${label} as an Excel workbook: ${reasonOf(error)}`, { cause: error });
  }
}
