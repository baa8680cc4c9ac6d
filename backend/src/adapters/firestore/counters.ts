// Counter-shard arithmetic: the change one row step makes to its shard, and the job-wide sums over all shards.
import type { ErrorClass } from '../../kernel/error-classes.js';
import type { CounterDelta } from '../../domain/row-transitions.js';
import type { CounterDoc, CounterFields } from './records.js';
import { ZERO_COUNTERS } from './records.js';

/**
 * How much a counter shard's fields move: the domain's CounterDelta in the shard's terms. A shard keeps no
 * queued-dispatched count: rows leaving the window are counted in `released` (in flight = Σ dispatched − Σ released),
 * and `grantNanos` is the budget lease a dry shard takes (budget.ts).
 */
export interface ShardDelta extends Omit<CounterDelta, 'queuedDispatched' | 'finishSeq'> {
  readonly grantNanos?: number;
  readonly released?: number;
}

/** A decided change in shard terms: every row that leaves the window (dispatched or running → neither) is released. */
export function toShardDelta(delta: CounterDelta, grantNanos = 0): ShardDelta {
  const { queuedDispatched = 0, finishSeq: _finishSeq, ...rest } = delta;
  return { ...rest, released: 0 - (queuedDispatched + (delta.running ?? 0)), grantNanos };
}

const NUMERIC = ['total', 'queued', 'running', 'done', 'cached', 'failed', 'skipped', 'cancelled', 'spentNanos', 'reservedNanos', 'grantNanos', 'released'] as const;

/** The shard after `delta`; `now` (when the step has one) becomes its updatedAt, as in the SQLite store. */
export function applyDelta(shard: CounterDoc, delta: ShardDelta, now: number | null): CounterDoc {
  const next: Record<string, unknown> = { ...shard };
  for (const field of NUMERIC) next[field] = shard[field] + (delta[field] ?? 0);
  const errors = addClasses(shard.errors, delta.errors);
  const retries = addClasses(shard.retries, delta.retries);
  next.errors = errors;
  next.retries = retries;
  // Kept on every write that can change the maps, so counts() finds the shards it must read whole (aggregate-counts.ts).
  next.classKeys = Object.keys(errors).length + Object.keys(retries).length;
  if (now !== null) next.updatedAt = now;
  return next as unknown as CounterDoc;
}

export interface CounterSums extends CounterFields {
  /** The latest row step's time over all shards (0: none). */
  readonly updatedAt: number;
}

/** What `counts()` shows of the sums over a job's shards: the budget's inner workings (grants, releases) stay inside. */
export type ShownSums = Omit<CounterFields, 'grantNanos' | 'released'>;

export function sumShards(shards: readonly CounterDoc[]): CounterSums {
  const sum: Record<string, unknown> = { ...ZERO_COUNTERS, updatedAt: 0 };
  let errors: Record<string, number> = {};
  let retries: Record<string, number> = {};
  for (const shard of shards) {
    for (const field of NUMERIC) sum[field] = (sum[field] as number) + shard[field];
    errors = addClasses(errors, shard.errors);
    retries = addClasses(retries, shard.retries);
    sum.updatedAt = Math.max(sum.updatedAt as number, shard.updatedAt);
  }
  sum.errors = errors;
  sum.retries = retries;
  return sum as unknown as CounterSums;
}

/** Classes whose count is zero are dropped, so callers see only classes that matter now (failed rows re-queued). */
export function positiveClasses(counts: Readonly<Record<string, number>>): Partial<Record<ErrorClass, number>> {
  const result: Partial<Record<ErrorClass, number>> = {};
  for (const [key, value] of Object.entries(counts)) if (value > 0) result[key as ErrorClass] = value;
  return result;
}

function addClasses(base: Readonly<Record<string, number>>, delta: Readonly<Partial<Record<string, number>>> | undefined): Record<string, number> {
  const result: Record<string, number> = { ...base };
  if (delta === undefined) return result;
  for (const [key, value] of Object.entries(delta)) {
    if (value === undefined || value === 0) continue;
    const next = (result[key] ?? 0) + value;
    if (next === 0) delete result[key];
    else result[key] = next;
  }
  return result;
}
