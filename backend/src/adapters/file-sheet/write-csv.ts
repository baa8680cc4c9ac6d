// Writes the enriched copy of a CSV: every source record's bytes copied untouched, new fields appended before its line ending.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { detectCsvDialect, type CsvDialect } from './csv-dialect.js';
import { csvField, quotedField } from './csv-field.js';
import { readCsvRecords, type CsvRecord } from './csv-records.js';
import { fileLabel } from './file-format.js';
import { validateHeaders } from './headers.js';
import { inBatches, lookupResults, type AppendedValue, type ResultLookup } from './result-lookup.js';
import { isBlank } from './table.js';
import { assertNewHeaders, replacedIndexes, type WriteCounts } from './write-options.js';

export interface CsvWriteJob {
  readonly source: string;
  readonly target: string;
  readonly appendHeaders: readonly string[];
  /** Existing columns whose cells take the first looked-up values (null keeps the cell). */
  readonly replaceHeaders: readonly string[];
  readonly lookup: ResultLookup;
  readonly batchSize: number;
}

export async function writeEnrichedCsv(job: CsvWriteJob): Promise<WriteCounts> {
  const dialect = await detectCsvDialect(job.source);
  const { width, replaced } = await measureSource(job, dialect);
  const counts = { rows: 0, filled: 0 };
  const valueCount = replaced.length + job.appendHeaders.length;

  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const batch of inBatches(readCsvRecords(job.source, dialect, { keepRaw: true }), job.batchSize)) {
      const wanted = batch.filter(isDataRecord).map((record) => record.recordNumber);
      const results = await lookupResults(job.lookup, wanted, valueCount);
      const pieces: Buffer[] = [];
      for (const record of batch) {
        const values = record.recordNumber === 1 ? [...replaced.map(() => null), ...job.appendHeaders] : results.get(record.recordNumber);
        if (record.recordNumber > 1 && record.fields.length > 0) counts.rows += 1;
        if (record.recordNumber > 1 && values !== undefined) counts.filled += 1;
        const own = withReplacements(record, values?.slice(0, replaced.length), replaced, dialect.delimiter);
        pieces.push(...enrichRecord(own, values?.slice(replaced.length), width, job.appendHeaders.length, dialect.delimiter));
      }
      yield Buffer.concat(pieces);
    }
  }

  await pipeline(Readable.from(chunks()), createWriteStream(job.target));
  return counts;
}

/**
 * A record whose replaced cells all stay (no answer) keeps its bytes; otherwise it is written again from its fields,
 * quoted as needed, with the answers in place, so only rows that got one change at all.
 */
function withReplacements(record: CsvRecord, values: readonly AppendedValue[] | undefined, indexes: readonly number[], delimiter: string): CsvRecord {
  if (values === undefined || values.every((value) => value === null)) return record;
  const fields = [...record.fields];
  indexes.forEach((index, i) => {
    const value = values[i] ?? null;
    if (value === null) return;
    while (fields.length <= index) fields.push('');
    fields[index] = typeof value === 'string' ? value : String(value);
  });
  const [, eol] = splitLineEnding(record.raw ?? Buffer.alloc(0));
  const text = fields.map((field, i) => (indexes.includes(i) && values[indexes.indexOf(i)] !== null ? csvField(field, delimiter) : quotedField(field, delimiter))).join(delimiter);
  return { ...record, fields, raw: Buffer.concat([Buffer.from(text, 'utf8'), eol]) };
}

function isDataRecord(record: CsvRecord): boolean {
  return record.recordNumber > 1 && record.fields.length > 0 && !isBlank(record.fields);
}

/**
 * Every row is padded to the widest source row before the new fields, so each new value lands under its header
 * even when rows are ragged. A truly empty line with no result stays empty rather than becoming a run of commas.
 */
function enrichRecord(
  record: CsvRecord,
  appended: readonly AppendedValue[] | undefined,
  width: number,
  appendedCount: number,
  delimiter: string,
): Buffer[] {
  const raw = record.raw ?? Buffer.alloc(0);
  if (record.fields.length === 0) return [raw];
  const [content, eol] = splitLineEnding(raw);
  if (content.length === 0 && appended === undefined) return [raw];
  const padding = Buffer.from(delimiter.repeat(width - record.fields.length));
  const values = appended ?? new Array<AppendedValue>(appendedCount).fill(null);
  const tail = values.map((value) => delimiter + csvField(value, delimiter)).join('');
  return [content, padding, Buffer.from(tail, 'utf8'), eol];
}

/** A record ends with its own CRLF, LF or CR (or nothing, at the end of a file without a final newline). */
function splitLineEnding(raw: Buffer): [Buffer, Buffer] {
  const n = raw.length;
  let eolLength = 0;
  if (n >= 2 && raw[n - 2] === 0x0d && raw[n - 1] === 0x0a) eolLength = 2;
  else if (n >= 1 && (raw[n - 1] === 0x0a || raw[n - 1] === 0x0d)) eolLength = 1;
  return [raw.subarray(0, n - eolLength), raw.subarray(n - eolLength)];
}

/**
 * A first pass that checks the header and counts fields, so the second can line the new columns up before it writes
 * the header. Returns the widest record's field count.
 */
async function measureSource(job: CsvWriteJob, dialect: CsvDialect): Promise<{ width: number; replaced: number[] }> {
  const label = fileLabel(job.source);
  let width = 0;
  let replaced: number[] = [];
  for await (const record of readCsvRecords(job.source, dialect)) {
    if (record.recordNumber === 1) {
      const headers = validateHeaders(record.fields, label);
      assertNewHeaders(headers, job.appendHeaders, label);
      replaced = replacedIndexes(headers, job.replaceHeaders, label);
    }
    width = Math.max(width, record.fields.length);
  }
  if (width === 0) validateHeaders([], label);
  return { width, replaced };
}
