// A file as a job's source and destination: rows in (selected, limited), results out as appended columns.
import { resolve } from 'node:path';
import { openTable, resolveColumns, writeEnrichedTable, type AppendedValue, type Table, type TableRow } from '../adapters/file-sheet/index.js';
import { detectFormat } from '../adapters/file-sheet/file-format.js';
import { defaultOutPath } from '../adapters/file-sheet/out-path.js';
import type { SourceRow } from '../engine/engine.js';
import { rowStatusText } from '../kernel/row-status-text.js';
import type { FileTarget, Job, Row } from '../ports/domain.js';
import type { Store } from '../ports/store.js';
import type { RowSelection } from './row-selection.js';
import { UsageError } from './usage-error.js';

export const STATUS_COLUMNS = ['rowfill_status', 'rowfill_error', 'rowfill_cost_usd'] as const;
/** Research jobs: the URLs each row's answer rests on, one per line (only URLs the row's own searches or pages returned). */
export const SOURCES_COLUMN = 'rowfill_sources';

export interface FileSource {
  readonly table: Table;
  /** Absolute. */
  readonly path: string;
  /** Outputs named like an existing column of the file (never an input: the job config refuses that). */
  readonly existingOutputs: readonly string[];
  rows(selection: RowSelection, limit: number | undefined): AsyncIterable<SourceRow>;
  /** How many non-empty cells each named column has in the selected rows. */
  filledCells(names: readonly string[], selection: RowSelection, limit: number | undefined): Promise<Map<string, number>>;
}

export async function openFileSource(path: string, inputs: readonly string[], outputs: readonly string[]): Promise<FileSource> {
  const table = await openTable(path);
  const label = path;
  const indexes = resolveColumns(table.headers, inputs, label);
  for (const name of [...STATUS_COLUMNS, SOURCES_COLUMN]) {
    if (table.headers.includes(name)) {
      throw new UsageError(`${label} already has a column "${name}"; enrich the original file, not an enriched copy.`);
    }
  }
  const absolute = resolve(path);
  async function* selected(selection: RowSelection, limit: number | undefined): AsyncGenerator<TableRow> {
    let taken = 0;
    for await (const row of table.rows()) {
      if (!selection.has(row.rowNumber)) continue;
      if (limit !== undefined && taken >= limit) return;
      taken++;
      yield row;
    }
  }
  return {
    table,
    path: absolute,
    existingOutputs: outputs.filter((name) => table.headers.includes(name)),
    async filledCells(names, selection, limit) {
      const counts = new Map(names.map((name) => [name, 0]));
      const columns = names.map((name) => table.headers.indexOf(name));
      for await (const row of selected(selection, limit)) {
        names.forEach((name, i) => {
          if ((row.values[columns[i] ?? -1] ?? '').trim() !== '') counts.set(name, (counts.get(name) ?? 0) + 1);
        });
      }
      return counts;
    },
    async *rows(selection, limit) {
      for await (const row of selected(selection, limit)) {
        const values: Record<string, string> = {};
        inputs.forEach((name, i) => (values[name] = row.values[indexes[i] ?? -1] ?? ''));
        yield { rowId: String(row.rowNumber), rowNumber: row.rowNumber, inputs: values };
      }
    },
  };
}

/** The selected rows, read once: the first is read now, the rest stream on after it when `rows` is iterated. */
export interface PeekedRows {
  /** Undefined when the selection holds no data row. */
  readonly first: SourceRow | undefined;
  /** Every selected row, the first included, from the same pass over the file (iterate it once). */
  readonly rows: AsyncIterable<SourceRow>;
  /** Closes the file when the rows will not be iterated after all (a refusal before the job starts). */
  close(): Promise<void>;
}

/**
 * An empty selection is refused before a job is created, and the job then reads the rows: one pass over the file
 * serves both, instead of a pass for the first row and another for the job.
 */
export async function peekRows(source: AsyncIterable<SourceRow>): Promise<PeekedRows> {
  const iterator = source[Symbol.asyncIterator]();
  const head = await iterator.next();
  const first = head.done ? undefined : head.value;
  async function* rows(): AsyncGenerator<SourceRow> {
    if (first === undefined) return;
    yield first;
    yield* { [Symbol.asyncIterator]: () => iterator };
  }
  return {
    first,
    rows: rows(),
    async close() {
      await iterator.return?.();
    },
  };
}

/** A job's target on this file: the enriched copy goes to `out`; `more` is what `resume` and the summary need later. */
export function fileTarget(source: FileSource, out: string, more: Pick<FileTarget, 'rows' | 'limit' | 'search' | 'replace'> = {}): FileTarget {
  return { kind: 'file', source: source.path, out, ...(source.table.sheetName ? { sheet: source.table.sheetName } : {}), ...more };
}

export function outPathFor(source: string, out: string | undefined): string {
  return resolve(out ?? defaultOutPath(source));
}

/** The enriched copy is written in the source's format; say so before the job spends anything, not after. */
export function assertOutFormat(source: FileSource, out: string): void {
  let format: string | undefined;
  try {
    format = detectFormat(out);
  } catch {
    format = undefined;
  }
  if (format !== source.table.format) {
    const kinds = source.table.format === 'csv' ? '.csv, .tsv or .txt' : '.xlsx';
    throw new UsageError(`--out ${out} must be the same kind of file as ${source.path} (${kinds})`);
  }
}

/**
 * Model output is untrusted text: in a CSV, a cell starting with = + - @ would run as a formula when the file is
 * opened in a spreadsheet app (CSV injection), so such text cells get a leading apostrophe, as OWASP advises.
 * XLSX cells are typed as strings and need no such guard; original columns are never touched.
 */
export function neutralizeFormula(value: AppendedValue): AppendedValue {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Outputs written into existing columns (the job was started with --overwrite), then the appended ones. */
function outputOrder(job: Job): { replaced: string[]; appended: string[] } {
  const names: readonly string[] = (job.target.kind === 'file' ? job.target.replace : undefined) ?? [];
  const outputs = job.config.outputs.map((o) => o.name);
  return { replaced: outputs.filter((n) => names.includes(n)), appended: outputs.filter((n) => !names.includes(n)) };
}

function appendedValues(job: Job, row: Row, csv: boolean, order: readonly string[]): AppendedValue[] {
  const outputs = [...order, ...(isResearch(job) ? [SOURCES_COLUMN] : [])].map((name) => {
    const value = row.outputs?.[name] ?? null;
    return csv ? neutralizeFormula(value) : value;
  });
  const cost = row.costUsd > 0 ? Number(row.costUsd.toFixed(6)) : row.status === 'done' || row.status === 'failed' ? 0 : null;
  return [...outputs, rowStatusText(row, job), row.errorMessage ?? null, cost];
}

function isResearch(job: Job): boolean {
  return job.config.research?.enabled === true;
}

/** Write the file with every row's current result; rows not in the job keep empty appended cells. */
export async function writeFileResults(store: Store, job: Job): Promise<{ out: string; rows: number; filled: number }> {
  if (job.target.kind !== 'file' || !job.target.out) throw new UsageError(`Job ${job.id} was not started from a file.`);
  const { source, out, sheet } = job.target;
  const csv = !/\.xlsx$/i.test(out);
  const { replaced, appended } = outputOrder(job);
  const order = [...replaced, ...appended];
  return writeEnrichedTable({
    source,
    out,
    ...(sheet ? { sheetName: sheet } : {}),
    replaceHeaders: replaced,
    appendHeaders: [...appended, ...(isResearch(job) ? [SOURCES_COLUMN] : []), ...STATUS_COLUMNS],
    lookup: async (rowNumbers) => {
      const found = new Map<number, AppendedValue[]>();
      if (rowNumbers.length === 0) return found;
      const first = rowNumbers[0] ?? 0;
      const last = rowNumbers[rowNumbers.length - 1] ?? 0;
      const rows = await store.listRows({ jobId: job.id, afterRowNumber: first - 1, limit: rowNumbers.length });
      for (const row of rows) if (row.rowNumber <= last) found.set(row.rowNumber, appendedValues(job, row, csv, order));
      return found;
    },
  });
}
