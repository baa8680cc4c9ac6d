// The stored shape of each document kind, exactly as the store writes it; every document carries `schema` (see occ.ts).
import type { JobStatus, PauseReason, RowCounts, RowStatus } from '../../ports/domain.js';
import type { RowPatch, RowState } from '../../domain/row-transitions.js';
import type { QueuedRowsStep } from '../../domain/job-transitions.js';

/** Layout version. Also the one field every document has, which an optimistic commit rewrites unchanged to pin a read. */
export const SCHEMA = 1;

/**
 * Set on a job while its queued rows still have to be undispatched (leaving running) or cancelled (entering cancelled):
 * the transition's decided step, which finishTransition (finish-transition.ts) works off. Stored as the job's `settle`
 * field (the layout keeps that name).
 */
export type SettleMark = QueuedRowsStep;

export interface JobDoc {
  readonly schema: number;
  readonly id: string;
  readonly owner: string;
  readonly sheetKey: string;
  /** JSON, so the config round-trips exactly (undefined fields dropped, key order kept). */
  readonly config: string;
  readonly configHash: string;
  readonly status: JobStatus;
  readonly pauseReason: PauseReason | null;
  readonly message: string | null;
  readonly budgetNanos: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly runningSince: number;
  readonly finishedAt: number | null;
  readonly simulated: boolean;
  /** With `sheetKey`, the job's target (adapters/shared/job-target-record.ts). */
  readonly meta: string;
  readonly settle: SettleMark | null;
  readonly counterShards: number;
  readonly windowShards: number;
  /**
   * The job's shards keep `classKeys`, so `counts()` sums them by aggregation (aggregate-counts.ts). Absent on jobs
   * stored before: their counts read every shard.
   */
  readonly classKeyed?: true;
}

/** The sums `counts()` and `getJob()` add up over a job's counter shards. */
export interface CounterFields extends RowCounts {
  readonly spentNanos: number;
  readonly reservedNanos: number;
  /** Budget handed to this shard; what it may still reserve is grant − spent − reserved. */
  readonly grantNanos: number;
  /** Rows that left the window (dispatched or running → anything else) through this shard. Only grows. */
  readonly released: number;
  readonly errors: Readonly<Record<string, number>>;
  readonly retries: Readonly<Record<string, number>>;
}

export interface CounterDoc extends CounterFields {
  readonly schema: number;
  /** Copies of the job's status and budget, so a claim reads and pins one small document instead of the job. */
  readonly status: JobStatus;
  readonly budgetNanos: number | null;
  /** The `now` of the last row step through this shard (0: none yet). */
  readonly updatedAt: number;
  /** How many error and retry classes this shard holds a count for: only such shards are read whole by `counts()`. */
  readonly classKeys: number;
}

export interface WindowDoc {
  readonly schema: number;
  readonly status: JobStatus;
  /** Rows given a window slot through this shard. Only grows; in flight = Σ dispatched − Σ released. */
  readonly dispatched: number;
}

export interface PoolDoc {
  readonly schema: number;
  /** Σ grantNanos over the counter shards; budget − granted is what a dry shard may still top up from. */
  readonly grantedNanos: number;
}

/** A row as stored: the fields the domain's transitions decide (RowState), plus what only the store keeps. */
export interface RowDoc extends RowState {
  readonly schema: number;
  readonly rowId: string;
  readonly rowNumber: number;
  readonly inputs: string;
  readonly inputHash: string;
  readonly outputs: string | null;
  /** Derived: terminal and not flushed. Its own field so "what to write to the sheet next" is one indexed query. */
  readonly pendingFlush: boolean;
  /** The counter shard this row's steps update. */
  readonly shard: number;
}

export interface CacheDoc {
  readonly schema: number;
  readonly key: string;
  readonly outputs: string;
  readonly expiresAt: number;
}

export interface CacheHoldDoc {
  readonly schema: number;
  readonly key: string;
  readonly holder: string;
  readonly heldSince: number;
  readonly heldUntil: number;
}

export interface RegistryDoc {
  readonly schema: number;
  readonly sheetKey: string;
  readonly rowId: string;
  readonly inputHash: string;
  readonly configHash: string;
  readonly outputs: string;
  readonly updatedAt: number;
}

const TERMINAL: ReadonlySet<RowStatus> = new Set<RowStatus>(['done', 'failed', 'skipped', 'cancelled']);

export function isTerminal(status: RowStatus): boolean {
  return TERMINAL.has(status);
}

/** Every row write goes through here, so the derived field can never disagree with the ones it derives from. */
export function withDerived(row: Omit<RowDoc, 'pendingFlush' | 'schema'>): RowDoc {
  return { ...row, schema: SCHEMA, pendingFlush: isTerminal(row.status) && !row.flushed };
}

/** The row after a decided change (domain/row-transitions), outputs stored as JSON. */
export function patched(row: RowDoc, patch: RowPatch): RowDoc {
  const { outputs, ...fields } = patch;
  return withDerived({ ...row, ...fields, ...(outputs === undefined ? {} : { outputs: outputs === null ? null : JSON.stringify(outputs) }) });
}

export const ZERO_COUNTERS: CounterFields = {
  total: 0, queued: 0, running: 0, done: 0, cached: 0, failed: 0, skipped: 0, cancelled: 0,
  spentNanos: 0, reservedNanos: 0, grantNanos: 0, released: 0, errors: {}, retries: {},
};
