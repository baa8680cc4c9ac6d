// A job's counts summed by Firestore: aggregation queries for the numbers, and only the shards holding error classes read.
import { AggregateField, type AggregateQuery, type AggregateSpec } from '@google-cloud/firestore';
import type { StoreContext } from './context.js';
import { sumShards, type ShownSums } from './counters.js';
import { read } from './mappers.js';

/**
 * The numeric fields `counts()` shows, summed over every shard, in queries of at most five (Firestore's limit). Each
 * query is one snapshot, so the figures a caller weighs together share one: queued and running (is the job done?),
 * spent and reserved (is the budget used up?).
 */
const QUERIES = [
  ['total', 'queued', 'running', 'done', 'failed'],
  ['cached', 'skipped', 'cancelled', 'spentNanos', 'reservedNanos'],
] as const;
type Summed = (typeof QUERIES)[number][number];

/**
 * The sums of every counter shard as reading them all would give, for 1 billed read per 1,000 shards and query instead
 * of one per shard: a job sized for 167 rows/s has 434 shards, and its pump and every progress poll read them all. The
 * error and retry classes are maps (class → count), which an aggregation cannot sum without naming every class, so the
 * shards that hold any (`classKeys` > 0) are read whole: none while a job runs cleanly, a few after a few failures or
 * 429s. The three queries run at once, outside a transaction: no caller needs more agreement than one query gives
 * (QUERIES), and a poll should not take part in the row steps' contention. A step landing between them may show in one
 * and not yet in another for that instant (a failure before its class); at rest they agree.
 */
export async function aggregateCounts(ctx: StoreContext, jobId: string): Promise<ShownSums> {
  const counters = ctx.layout.counters(jobId);
  const groups: Array<AggregateQuery<AggregateSpec>> = QUERIES.map((fields) => counters.aggregate(Object.fromEntries(fields.map((field) => [field, AggregateField.sum(field)]))));
  const [sums, shards] = await Promise.all([Promise.all(groups.map((group) => group.get())), counters.where('classKeys', '>', 0).get()]);
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
