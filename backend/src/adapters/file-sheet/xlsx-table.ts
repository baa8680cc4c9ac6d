// Opens one worksheet of an .xlsx workbook as a Table: the first row holding a value is the header, later rows stream on demand.
import { validateHeaders } from './headers.js';
import { isBlank, padValues, type Table, type TableRow } from './table.js';
import { readSheetRows, sheetLabel } from './xlsx-sheet-rows.js';

export async function openXlsxTable(path: string, sheetName: string | undefined): Promise<Table> {
  const header = await readXlsxHeader(path, sheetName);
  const headers = validateHeaders(header.values, sheetLabel(path, header.sheetName));
  return {
    format: 'xlsx',
    path,
    headers,
    headerRowNumber: header.rowNumber,
    sheetName: header.sheetName,
    rows: () => ({ [Symbol.asyncIterator]: () => xlsxRows(path, sheetName, header.rowNumber, headers.length) }),
  };
}

interface XlsxHeader {
  /** Undefined when the sheet holds no value at all. */
  readonly sheetName: string | undefined;
  readonly rowNumber: number;
  readonly values: readonly string[];
}

async function readXlsxHeader(path: string, sheetName: string | undefined): Promise<XlsxHeader> {
  for await (const row of readSheetRows(path, sheetName)) {
    if (!isBlank(row.values)) return row;
  }
  return { sheetName: undefined, rowNumber: 1, values: [] };
}

async function* xlsxRows(path: string, sheetName: string | undefined, headerRow: number, width: number): AsyncGenerator<TableRow> {
  for await (const row of readSheetRows(path, sheetName)) {
    if (row.rowNumber <= headerRow || isBlank(row.values)) continue;
    yield { rowNumber: row.rowNumber, values: padValues(row.values, width) };
  }
}
