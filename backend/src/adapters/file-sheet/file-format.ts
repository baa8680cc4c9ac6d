// Decides from a file's extension whether it is read as CSV or XLSX, and which delimiter the extension implies.
import { basename, extname } from 'node:path';
import { FileSheetError } from './errors.js';

export type TableFormat = 'csv' | 'xlsx';

const CSV_EXTENSIONS = new Set(['.csv', '.tsv', '.txt']);

export function detectFormat(path: string): TableFormat {
  const ext = extname(path).toLowerCase();
  if (CSV_EXTENSIONS.has(ext)) return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  const shown = ext === '' ? 'a file with no extension' : `"${ext}"`;
  throw new FileSheetError(
    'unsupported_format',
    `Cannot read ${shown} (${path}): use a .csv, .tsv, .txt or .xlsx file${ext === '.xls' ? ' (save .xls workbooks as .xlsx first)' : ''}`,
  );
}

/** A tab for .tsv; undefined means "sniff it from the header line". */
export function delimiterForExtension(path: string): string | undefined {
  return extname(path).toLowerCase() === '.tsv' ? '\t' : undefined;
}

/** The short name used in messages: people know their file by its name, not its absolute path. */
export function fileLabel(path: string): string {
  return basename(path);
}
