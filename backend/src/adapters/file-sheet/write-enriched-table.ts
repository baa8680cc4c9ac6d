// The writing entry point: validates options, then writes the enriched copy through a temp file renamed over `out`.
import { resolve } from 'node:path';
import { writeFileAtomically } from './atomic-file.js';
import { FileSheetError } from './errors.js';
import { assertReadableFile } from './file-access.js';
import { detectFormat } from './file-format.js';
import { validateWriteOptions, type WriteEnrichedTableOptions, type WriteEnrichedTableResult } from './write-options.js';
import { writeEnrichedCsv } from './write-csv.js';
import { writeEnrichedXlsx } from './write-xlsx.js';

/**
 * Streams the source once to measure it and once to copy it, calling `lookup` once per `batchSize` rows, so memory
 * stays flat for a million rows. `out` is replaced only when the whole copy is on disk; it may be the source itself.
 */
export async function writeEnrichedTable(options: WriteEnrichedTableOptions): Promise<WriteEnrichedTableResult> {
  const { appendHeaders, replaceHeaders, batchSize } = validateWriteOptions(options);
  const format = detectFormat(options.source);
  if (detectFormat(options.out) !== format) {
    throw new FileSheetError(
      'unsupported_format',
      `Cannot write ${options.out}: the output must be the same kind of file as ${options.source} (${format === 'csv' ? '.csv, .tsv or .txt' : '.xlsx'})`,
    );
  }
  await assertReadableFile(options.source);
  const out = resolve(options.out);
  const counts = await writeFileAtomically(out, (target) =>
    format === 'csv'
      ? writeEnrichedCsv({ source: options.source, target, appendHeaders, replaceHeaders, lookup: options.lookup, batchSize })
      : writeEnrichedXlsx({ source: options.source, target, sheetName: options.sheetName, appendHeaders, replaceHeaders, lookup: options.lookup, batchSize }),
  );
  return { out, ...counts };
}
