// Turns submitted rows into stored rows: validates inputs, hashes them, and skips rows unchanged since their last success.
import type { JobConfig, NewRow } from '../ports/domain.js';
import type { RegistryEntry, Store } from '../ports/store.js';
import { inputHash } from './job-plan.js';

/** One row as a source (file, sheet) presents it. */
export interface SourceRow {
  /** Stable anchor: the `rowfill_id` in a Google Sheet, the row's position in a file. */
  readonly rowId: string;
  readonly rowNumber: number;
  /** The input columns' values, by column name. */
  readonly inputs: Readonly<Record<string, string>>;
  /** The output cells as they are now, when the source has output columns (a cleared cell means "recompute"). */
  readonly currentOutputs?: Readonly<Record<string, string>>;
}

export interface IntakeOptions {
  readonly store: Store;
  /** `targetKey` of the job's target: the registry remembers rows per target. */
  readonly registryKey: string;
  readonly config: JobConfig;
  readonly configHash: string;
  readonly maxCellChars: number;
  readonly batchSize?: number;
}

export type RowsSource = AsyncIterable<SourceRow> | Iterable<SourceRow>;

function invalidReason(inputs: Readonly<Record<string, string>>, config: JobConfig, maxCellChars: number): string | undefined {
  let empty = true;
  for (const name of config.inputs) {
    const value = inputs[name] ?? '';
    if (value.length > maxCellChars) return `Input "${name}" is ${value.length} characters long; the limit is ${maxCellChars}.`;
    if (value.trim() !== '') empty = false;
  }
  return empty ? 'Every input cell of this row is empty.' : undefined;
}

function isUnchanged(entry: RegistryEntry | undefined, hash: string, configHash: string, current: SourceRow['currentOutputs'], config: JobConfig): boolean {
  if (!entry || entry.inputHash !== hash || entry.configHash !== configHash) return false;
  if (current === undefined) return true;
  return config.outputs.every((o) => (current[o.name] ?? '').trim() !== '');
}

/** Yields batches of rows ready for `Store.addRows`, in source order. */
export async function* intakeRows(source: RowsSource, options: IntakeOptions): AsyncGenerator<NewRow[]> {
  const batchSize = options.batchSize ?? 2000;
  let pending: SourceRow[] = [];
  const flush = async (): Promise<NewRow[]> => {
    const registry = options.config.force ? new Map<string, RegistryEntry>() : await options.store.getRegistry(options.registryKey, pending.map((r) => r.rowId));
    const rows = pending.map((src): NewRow => {
      const inputs: Record<string, string> = {};
      for (const name of options.config.inputs) inputs[name] = src.inputs[name] ?? '';
      const hash = inputHash(inputs);
      const base = { rowId: src.rowId, rowNumber: src.rowNumber, inputs, inputHash: hash };
      const invalid = invalidReason(inputs, options.config, options.maxCellChars);
      if (invalid) return { ...base, status: 'failed', errorClass: 'input_invalid', errorMessage: invalid };
      const entry = registry.get(src.rowId);
      if (isUnchanged(entry, hash, options.configHash, src.currentOutputs, options.config)) return { ...base, status: 'skipped', outputs: entry?.outputs };
      return base;
    });
    pending = [];
    return rows;
  };
  for await (const row of source) {
    pending.push(row);
    if (pending.length >= batchSize) yield await flush();
  }
  if (pending.length > 0) yield await flush();
}
