// Opens a CSV/TSV file as a Table: the header is read and checked up front, data rows stream on demand.
import { detectCsvDialect, type CsvDialect } from './csv-dialect.js';
import { readCsvRecords } from './csv-records.js';
import { fileLabel } from './file-format.js';
import { validateHeaders } from './headers.js';
import { isBlank, padValues, type Table, type TableRow } from './table.js';

export async function openCsvTable(path: string): Promise<Table> {
  const dialect = await detectCsvDialect(path);
  const headers = validateHeaders(await readCsvHeader(path, dialect), fileLabel(path));
  return {
    format: 'csv',
    path,
    headers,
    headerRowNumber: 1,
    sheetName: undefined,
    rows: () => ({ [Symbol.asyncIterator]: () => csvRows(path, dialect, headers.length) }),
  };
}

async function readCsvHeader(path: string, dialect: CsvDialect): Promise<readonly string[]> {
  for await (const record of readCsvRecords(path, dialect)) return record.fields;
  return [];
}

async function* csvRows(path: string, dialect: CsvDialect, width: number): AsyncGenerator<TableRow> {
  for await (const record of readCsvRecords(path, dialect)) {
    if (record.recordNumber === 1 || isBlank(record.fields)) continue;
    yield { rowNumber: record.recordNumber, values: padValues(record.fields, width) };
  }
}
