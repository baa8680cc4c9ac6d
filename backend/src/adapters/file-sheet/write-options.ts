// The options of writeEnrichedTable, their defaults and the checks that run before any file is touched.
import { FileSheetError } from './errors.js';
import type { ResultLookup } from './result-lookup.js';

export interface WriteEnrichedTableOptions {
  /** The file the rows were read from (.csv/.tsv/.txt or .xlsx). */
  readonly source: string;
  /** Where the enriched copy goes; may equal `source`. Same format as the source. See `defaultOutPath`. */
  readonly out: string;
  /** Names of the columns appended after the source's columns. At least one, unique, not already in the source. */
  readonly appendHeaders: readonly string[];
  /**
   * Existing columns whose cells take results in place (the user asked to overwrite them). The lookup returns their
   * values first, then the appended ones; a null keeps the source's cell as it is. Default: none.
   */
  readonly replaceHeaders?: readonly string[];
  /** Called once per batch of source rows for their results. */
  readonly lookup: ResultLookup;
  /** The worksheet that gets the new columns, for a workbook (other sheets are copied). Default: the first. */
  readonly sheetName?: string;
  /** Source rows per lookup call. Default 1000; 1 to 100,000. */
  readonly batchSize?: number;
}

export interface WriteEnrichedTableResult {
  readonly out: string;
  /** Data rows copied (blank rows included). */
  readonly rows: number;
  /** Rows that got results from `lookup`. */
  readonly filled: number;
}

/** What a format-specific writer reports back. */
export interface WriteCounts {
  readonly rows: number;
  readonly filled: number;
}

export const DEFAULT_BATCH_SIZE = 1000;
const MAX_BATCH_SIZE = 100_000;

export interface ValidWriteOptions {
  readonly appendHeaders: readonly string[];
  readonly replaceHeaders: readonly string[];
  readonly batchSize: number;
}

export function validateWriteOptions(options: WriteEnrichedTableOptions): ValidWriteOptions {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new RangeError(`batchSize must be an integer from 1 to ${MAX_BATCH_SIZE}, got ${batchSize}`);
  }
  if (typeof options.lookup !== 'function') throw new TypeError('lookup must be a function');
  if (options.appendHeaders.length === 0) throw new RangeError('appendHeaders must name at least one column');
  const appendHeaders = options.appendHeaders.map((name) => name.trim());
  appendHeaders.forEach((name, index) => {
    if (name === '') {
      throw new FileSheetError('empty_header', `Output column ${index + 1} has no name; every new column needs one`);
    }
    if (appendHeaders.indexOf(name) !== index) {
      throw new FileSheetError('duplicate_header', `Output column "${name}" is named twice; give each new column its own name`);
    }
  });
  const replaceHeaders = (options.replaceHeaders ?? []).map((name) => name.trim());
  replaceHeaders.forEach((name, index) => {
    if (replaceHeaders.indexOf(name) !== index || appendHeaders.includes(name)) {
      throw new FileSheetError('duplicate_header', `Output column "${name}" is named twice; give each new column its own name`);
    }
  });
  return { appendHeaders, replaceHeaders, batchSize };
}

/** The 0-based positions of the columns to replace in `existing`; each must be there. */
export function replacedIndexes(existing: readonly string[], replaced: readonly string[], label: string): number[] {
  return replaced.map((name) => {
    const index = existing.indexOf(name);
    if (index < 0) throw new FileSheetError('unknown_column', `Column "${name}" not found in ${label}. Columns: ${existing.join(', ')}`);
    return index;
  });
}

/** A new column named like an existing one would make the output's header ambiguous, and unreadable by openTable. */
export function assertNewHeaders(existing: readonly string[], appended: readonly string[], label: string): void {
  for (const name of appended) {
    if (existing.includes(name)) {
      throw new FileSheetError(
        'duplicate_header',
        `Column "${name}" already exists in ${label}; name the new column differently`,
      );
    }
  }
}
