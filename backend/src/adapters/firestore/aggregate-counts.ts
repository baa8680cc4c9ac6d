// A job's counts summed by Firestore: aggregation queries for the numbers, and only the shards holding error classes read.
import { AggregateField, type AggregateQuery, type AggregateSpec } from '@google-cloud/firestore';
import type { StoreContext } from './context.js';
import { sumShards } from './counters.js';
import { read } from './mappers.js';
import type { CounterFields } from './records.js';

/** The numeric fields `counts()` shows, summed over every shard. */
const SUMMED = ['total', 'queued', 'running', 'done', 'cached', 'failed', 'skipped', 'cancelled', 'spentNanos', 'reservedNanos'] as const;
type Summed = (typeof SUMMED)[number];

/** What `counts()` shows of the sums over a job's shards. */
export type ShownSums = Pick<CounterFields, Summed | 'errors' | 'retries'>;

/** Firestore takes at most five aggregations in one query. */
const PER_QUERY = 5;

/**
 * The sums of every counter shard as reading them all would give, at one read time (a read-only transaction), for
 * 1 billed read per 1,000 shards and query instead of one per shard: a job sized for 167 rows/s has 434 shards, and
 * its pump and every progress poll read them all. The error and retry classes are maps (class → count), which an
 * aggregation cannot sum without naming every class, so the shards that hold any (`classKeys` > 0) are read whole:
 * none while a job runs cleanly, a few after a few failures or 429s.
 */
export async function aggregateCounts(ctx: StoreContext, jobId: string): Promise<ShownSums> {
  const counters = ctx.layout.counters(jobId);
  const groups: Array<AggregateQuery<AggregateSpec>> = [];
  for (let i = 0; i < SUMMED.length; i += PER_QUERY) {
    groups.push(counters.aggregate(Object.fromEntries(SUMMED.slice(i, i + PER_QUERY).map((field) => [field, AggregateField.sum(field)]))));
  }
  const classed = counters.where('classKeys', '>', 0);
  const [sums, shards] = await ctx.db.runTransaction((t) => Promise.all([Promise.all(groups.map((group) => t.get(group))), t.get(classed)]), { readOnly: true });
  const numbers = Object.fromEntries(sums.flatMap((snapshot) => Object.entries(snapshot.data()))) as Record<Summed, number | null>;
  const classes = sumShards(shards.docs.map((snapshot) => read.counter(snapshot)!));
  const total = (field: Summed): number => numbers[field] ?? 0;
  return {
    total: total('total'),
    queued: total('queued'),
    running: total('running'),
    done: total('done'),
    cached: total('cached'),
    failed: total('failed'),
    skipped: total('skipped'),
    cancelled: total('cancelled'),
    spentNanos: total('spentNanos'),
    reservedNanos: total('reservedNanos'),
    errors: classes.errors,
    retries: classes.retries,
  };
}
