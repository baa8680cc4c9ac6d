// Works out how a delimited text file is written (delimiter, BOM) from its first bytes, and refuses files that are not UTF-8 text.
import { open } from 'node:fs/promises';
import { FileSheetError } from './errors.js';
import { delimiterForExtension, fileLabel } from './file-format.js';

export interface CsvDialect {
  readonly delimiter: string;
  /** The file starts with a UTF-8 byte-order mark (Excel's "CSV UTF-8" does this). */
  readonly bom: boolean;
  /** The file holds no bytes at all (not even a header). */
  readonly empty: boolean;
}

/** Enough bytes to hold any sane header line; sniffing looks at the first record only. */
const SAMPLE_BYTES = 64 * 1024;
const CANDIDATES = [',', ';', '\t', '|'] as const;

export async function detectCsvDialect(path: string): Promise<CsvDialect> {
  const sample = await readSample(path);
  const label = fileLabel(path);
  if (sample.length >= 4 && sample.readUInt32BE(0) === 0x504b0304) {
    throw new FileSheetError('unreadable', `${label} is an Excel workbook (zip), not text; rename it to .xlsx`);
  }
  if (sample.length >= 2 && ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff))) {
    throw new FileSheetError('unreadable', `${label} is saved as UTF-16; save it as UTF-8 (e.g. "CSV UTF-8" in Excel)`);
  }
  if (sample.includes(0)) {
    throw new FileSheetError('unreadable', `${label} is not a text file (it contains binary data)`);
  }
  const bom = sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf;
  const text = sample.toString('utf8', bom ? 3 : 0);
  return { delimiter: delimiterForExtension(path) ?? sniffDelimiter(text), bom, empty: sample.length === 0 };
}

/**
 * Picks the candidate seen most often outside quotes in the first line, so a European "a;b;c" export or a
 * tab-separated .txt reads right; a tie or a one-column file falls back to the comma.
 */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let bestCount = counts.get(',') ?? 0;
  for (const [candidate, count] of counts) {
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

async function readSample(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
