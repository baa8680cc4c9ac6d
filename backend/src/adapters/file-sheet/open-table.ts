// The reading entry point: checks the file, picks CSV or XLSX by extension and opens it as a Table.
import { openCsvTable } from './csv-table.js';
import { assertReadableFile } from './file-access.js';
import { detectFormat } from './file-format.js';
import type { OpenTableOptions, Table } from './table.js';
import { openXlsxTable } from './xlsx-table.js';

/** Reads and validates the header now; data rows are read only when `rows()` is iterated. */
export async function openTable(path: string, options: OpenTableOptions = {}): Promise<Table> {
  const format = detectFormat(path);
  await assertReadableFile(path);
  return format === 'csv' ? openCsvTable(path) : openXlsxTable(path, options.sheetName);
}
