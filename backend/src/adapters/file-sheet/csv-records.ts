// Streams a delimited file record by record, optionally with each record's exact source bytes so a writer can copy them untouched.
import { createReadStream } from 'node:fs';
import { Transform, pipeline } from 'node:stream';
import { parse, type Info } from 'csv-parse';
import type { CsvDialect } from './csv-dialect.js';
import { FileSheetError, reasonOf } from './errors.js';
import { fileLabel } from './file-format.js';

export interface CsvRecord {
  /** 1-based, as a spreadsheet numbers rows: the header is record 1. */
  readonly recordNumber: number;
  /** Empty only for a final pseudo-record carrying bytes after the last record, which a writer copies as-is. */
  readonly fields: readonly string[];
  /** The record's bytes exactly as in the file, line ending (and, for the first record, BOM) included; only with `keepRaw`. */
  readonly raw: Buffer | undefined;
}

export interface ReadCsvRecordsOptions {
  /** Keep each record's source bytes. Default false. */
  readonly keepRaw?: boolean;
}

const READ_CHUNK_BYTES = 256 * 1024;

/**
 * Raw bytes come from csv-parse's byte offsets rather than its `raw` option: `raw` drops the second byte of a CRLF
 * record delimiter, which would turn every Windows line ending into a bare CR.
 */
export async function* readCsvRecords(
  path: string,
  dialect: CsvDialect,
  options: ReadCsvRecordsOptions = {},
): AsyncGenerator<CsvRecord> {
  const keepRaw = options.keepRaw ?? false;
  // Bytes read but not yet handed out, starting at absolute file offset `pendingStart`; bounded by stream buffering.
  let pending: Buffer = Buffer.alloc(0);
  let pendingStart = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (keepRaw) pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      callback(null, chunk);
    },
  });
  const parser = parse({
    delimiter: dialect.delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    // A stray quote inside an unquoted field (`27" monitor`) is common in hand-made files; keep it as text.
    relax_quotes: true,
    skip_empty_lines: false,
  });
  const records = pipeline(createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }), tee, parser, () => {
    // Errors surface through the iteration below; this callback only keeps pipeline from throwing them unhandled.
  });

  let recordNumber = 0;
  try {
    for await (const item of records as AsyncIterable<{ record: string[]; info: Info }>) {
      recordNumber += 1;
      let raw: Buffer | undefined;
      if (keepRaw) {
        const end = item.info.bytes;
        raw = pending.subarray(0, end - pendingStart);
        pending = pending.subarray(end - pendingStart);
        pendingStart = end;
      }
      yield { recordNumber, fields: item.record, raw };
    }
  } catch (error) {
    if (error instanceof FileSheetError) throw error;
    throw new FileSheetError('unreadable', `Could not read ${fileLabel(path)}: ${reasonOf(error)}`, { cause: error });
  }
  // Anything after the last record (there should be nothing) is still part of the file and must not be lost.
  if (keepRaw && pending.length > 0) {
    yield { recordNumber: recordNumber + 1, fields: [], raw: pending };
  }
}
