// The recovery steps: expired leases back to the queue, lost tasks' slots back to the window, failed rows re-queued.
import type { QueryDocumentSnapshot } from '@google-cloud/firestore';
import type { StoreContext } from './context.js';
import type { CounterDelta } from './counters.js';
import { addDeltas, applyDelta } from './counters.js';
import { read } from './mappers.js';
import type { Attempt } from './occ.js';
import type { CounterDoc, RowDoc } from './records.js';
import { withDerived } from './records.js';
import { settle } from './settle.js';
import { assertBound } from './validate.js';

/** Rows per commit. Each batch moves its rows and their counts together, so a crash between batches loses nothing. */
const BATCH = 200;

/**
 * Rows running past their lease: back to queued (or cancelled, in a cancelled job) and undispatched; their reservation
 * counts as spent, since the dead worker's call may have been billed and the budget must never be exceeded.
 */
export async function expireLeases(ctx: StoreContext, jobId: string, now: number): Promise<number> {
  assertBound('now', now);
  const finite = Number.isFinite(now);
  return inBatches(ctx, 'expireLeases', async (attempt) => {
    // Running rows are at most the window, so they are read whole and filtered here: no extra index on leaseUntil.
    const running = await attempt.query(ctx.layout.rows(jobId).where('status', '==', 'running'), { pin: false });
    const expired = running.filter((snapshot) => (read.row(snapshot)!.leaseUntil ?? Infinity) < now).slice(0, BATCH);
    return rewrite(ctx, attempt, jobId, expired, (row, shard) => {
      const status = shard.status === 'cancelled' ? 'cancelled' : 'queued';
      const next = withDerived({
        ...row,
        status,
        dispatched: false,
        leaseUntil: null,
        costNanos: row.costNanos + row.reservedNanos,
        reservedNanos: 0,
        flushed: false,
        finishedAt: status === 'cancelled' && finite ? now : null,
      });
      const delta: CounterDelta = {
        running: -1,
        queued: status === 'queued' ? 1 : 0,
        cancelled: status === 'cancelled' ? 1 : 0,
        spentNanos: row.reservedNanos,
        reservedNanos: -row.reservedNanos,
        released: 1,
      };
      return { next, delta, now: finite ? now : null };
    });
  });
}

/** Queued rows holding a slot whose task should have run before `olderThan` but did not: the slot goes back. */
export async function undispatchStale(ctx: StoreContext, jobId: string, olderThan: number): Promise<number> {
  assertBound('olderThan', olderThan);
  return inBatches(ctx, 'undispatchStale', async (attempt) => {
    const waiting = await attempt.query(ctx.layout.rows(jobId).where('status', '==', 'queued').where('dispatched', '==', true), { pin: false });
    const stale = waiting.filter((snapshot) => read.row(snapshot)!.nextAttemptAt < olderThan).slice(0, BATCH);
    return rewrite(ctx, attempt, jobId, stale, (row) => ({ next: withDerived({ ...row, dispatched: false }), delta: { released: 1 }, now: null }));
  });
}

/** failed rows → queued, attempts and errors cleared. Spend and usage stay on the row: a re-run does not refund them. */
export async function requeueFailed(ctx: StoreContext, jobId: string): Promise<number> {
  await settle(ctx, jobId);
  return inBatches(ctx, 'requeueFailed', async (attempt) => {
    // Pinned, so a batch cannot land across a transition (a cancel settles queued rows; these must not slip past it).
    const [job] = await attempt.getAll([ctx.layout.job(jobId)]);
    if (!job!.exists) return 0;
    const failed = await attempt.query(ctx.layout.rows(jobId).where('status', '==', 'failed').limit(BATCH), { pin: false });
    return rewrite(ctx, attempt, jobId, failed, (row) => {
      const next = withDerived({
        ...row,
        status: 'queued',
        dispatched: false,
        attempt: 0,
        nextAttemptAt: 0,
        leaseUntil: null,
        outputs: null,
        cached: false,
        errorClass: null,
        errorMessage: null,
        flushed: false,
        finishedAt: null,
      });
      const delta: CounterDelta = { failed: -1, queued: 1, errors: row.errorClass === null ? {} : { [row.errorClass]: -1 } };
      return { next, delta, now: null };
    });
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

type Change = (row: RowDoc, shard: CounterDoc) => { readonly next: RowDoc; readonly delta: CounterDelta; readonly now: number | null };

/** Pins and rewrites each row, and applies the summed counter changes to each counter shard the rows belong to. */
async function rewrite(ctx: StoreContext, attempt: Attempt, jobId: string, rows: readonly QueryDocumentSnapshot[], change: Change): Promise<number> {
  if (rows.length === 0) return 0;
  const shardIds = [...new Set(rows.map((snapshot) => read.row(snapshot)!.shard))];
  const shardSnapshots = await attempt.getAll(shardIds.map((k) => ctx.layout.counter(jobId, k)));
  const shards = new Map(shardIds.map((k, i) => [k, read.counter(shardSnapshots[i]!)]));
  const deltas = new Map<number, CounterDelta>();
  let now: number | null = null;
  for (const snapshot of rows) {
    attempt.pin(snapshot.ref);
    const row = read.row(snapshot)!;
    const shard = shards.get(row.shard);
    if (shard === undefined) continue;
    const changed = change(row, shard);
    attempt.update(snapshot.ref, changed.next);
    deltas.set(row.shard, addDeltas(deltas.get(row.shard) ?? {}, changed.delta));
    now = changed.now;
  }
  shardIds.forEach((k, i) => {
    const shard = shards.get(k);
    const delta = deltas.get(k);
    if (shard !== undefined && delta !== undefined) attempt.update(shardSnapshots[i]!.ref, applyDelta(shard, delta, now));
  });
  return deltas.size === 0 ? 0 : rows.length;
}
