// The recovery steps: expired leases back to the queue, lost tasks' slots back to the window, failed rows re-queued.
import type { QueryDocumentSnapshot } from '@google-cloud/firestore';
import type { StoreContext } from './context.js';
import type { CounterDelta, RowChange } from '../../domain/row-transitions.js';
import { addDeltas, decideExpiry, decideRequeue, decideUndispatch } from '../../domain/row-transitions.js';
import { assertBound } from '../../domain/store-arguments.js';
import { applyDelta, toShardDelta } from './counters.js';
import { read } from './mappers.js';
import type { Attempt } from './occ.js';
import type { CounterDoc, RowDoc } from './records.js';
import { patched } from './records.js';
import { finishTransition } from './finish-transition.js';

/** Rows per commit. Each batch moves its rows and their counts together, so a crash between batches loses nothing. */
const BATCH = 200;

/** Rows running past their lease (domain/row-transitions: decideExpiry), in batches. */
export async function expireLeases(ctx: StoreContext, jobId: string, now: number): Promise<number> {
  assertBound('now', now);
  return inBatches(ctx, 'expireLeases', async (attempt) => {
    // Running rows are at most the window, so they are read whole and filtered here: no extra index on leaseUntil.
    const running = await attempt.query(ctx.layout.rows(jobId).where('status', '==', 'running'), { pin: false });
    const expired = running.filter((snapshot) => (read.row(snapshot)!.leaseUntil ?? Infinity) < now).slice(0, BATCH);
    return rewrite(ctx, attempt, jobId, expired, (row, shard) => decideExpiry(row, shard, now), Number.isFinite(now) ? now : null);
  });
}

/** Queued rows holding a slot whose task should have run before `olderThan` but did not (decideUndispatch). */
export async function undispatchStale(ctx: StoreContext, jobId: string, olderThan: number): Promise<number> {
  assertBound('olderThan', olderThan);
  return inBatches(ctx, 'undispatchStale', async (attempt) => {
    const waiting = await attempt.query(ctx.layout.rows(jobId).where('status', '==', 'queued').where('dispatched', '==', true), { pin: false });
    const stale = waiting.filter((snapshot) => read.row(snapshot)!.nextAttemptAt < olderThan).slice(0, BATCH);
    return rewrite(ctx, attempt, jobId, stale, (row) => decideUndispatch(row, olderThan), null);
  });
}

/** failed rows → queued (decideRequeue), in batches. */
export async function requeueFailed(ctx: StoreContext, jobId: string): Promise<number> {
  await finishTransition(ctx, jobId);
  return inBatches(ctx, 'requeueFailed', async (attempt) => {
    // Pinned, so a batch cannot land across a transition (a cancel's finishTransition cancels queued rows; these must not slip past it).
    const [job] = await attempt.getAll([ctx.layout.job(jobId)]);
    if (!job!.exists) return 0;
    const failed = await attempt.query(ctx.layout.rows(jobId).where('status', '==', 'failed').limit(BATCH), { pin: false });
    return rewrite(ctx, attempt, jobId, failed, (row) => decideRequeue(row), null);
  });
}

/** Runs batches until one comes back short; returns how many rows moved in all. */
async function inBatches(ctx: StoreContext, label: string, batch: (attempt: Attempt) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const moved = await ctx.occ(label, batch);
    total += moved;
    if (moved < BATCH) return total;
  }
}

type Decide = (row: RowDoc, shard: CounterDoc) => RowChange | undefined;

/** Pins and rewrites each row as decided, and applies the summed counter changes to each counter shard the rows belong to. */
async function rewrite(ctx: StoreContext, attempt: Attempt, jobId: string, rows: readonly QueryDocumentSnapshot[], decide: Decide, now: number | null): Promise<number> {
  if (rows.length === 0) return 0;
  const shardIds = [...new Set(rows.map((snapshot) => read.row(snapshot)!.shard))];
  const shardSnapshots = await attempt.getAll(shardIds.map((k) => ctx.layout.counter(jobId, k)));
  const shards = new Map(shardIds.map((k, i) => [k, read.counter(shardSnapshots[i]!)]));
  const deltas = new Map<number, CounterDelta>();
  for (const snapshot of rows) {
    attempt.pin(snapshot.ref);
    const row = read.row(snapshot)!;
    const shard = shards.get(row.shard);
    const change = shard === undefined ? undefined : decide(row, shard);
    if (change === undefined) continue;
    attempt.update(snapshot.ref, patched(row, change.patch));
    deltas.set(row.shard, addDeltas(deltas.get(row.shard) ?? {}, change.counters));
  }
  shardIds.forEach((k, i) => {
    const shard = shards.get(k);
    const delta = deltas.get(k);
    if (shard !== undefined && delta !== undefined) attempt.update(shardSnapshots[i]!.ref, applyDelta(shard, toShardDelta(delta), now));
  });
  return deltas.size === 0 ? 0 : rows.length;
}
