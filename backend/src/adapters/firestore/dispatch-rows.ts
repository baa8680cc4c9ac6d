// dispatchRows: gives queued rows window slots, never letting dispatched + running rows exceed maxInFlight.
import { AggregateField } from '@google-cloud/firestore';
import type { DispatchedRow, DispatchRequest } from '../../ports/store.js';
import type { StoreContext } from './context.js';
import type { MergedDispatch } from './dispatch-batcher.js';
import { DispatchBatcher } from './dispatch-batcher.js';
import { read } from './mappers.js';
import { isLostRace } from './occ.js';
import type { CounterDoc } from './records.js';
import { patched } from './records.js';
import { DISPATCHABLE, decideDispatch, dispatchRoom, jobHoldsSlots } from '../../domain/row-transitions.js';
import { checkDispatchRequest } from '../../domain/store-arguments.js';
import { rowsSelected } from './row-selection.js';

/**
 * In flight = Σ window.dispatched − Σ counter.released. Both only grow. The window shards are read under the
 * transaction's locks, so two dispatches never both spend the same room; the counter shards are read outside it,
 * because a release that lands after the read only makes the room we computed smaller than the truth — never larger.
 * So a finishing row (which bumps `released` on its counter shard) never holds up a dispatch, and only one window
 * shard is written per call.
 */
export function dispatchRows(ctx: StoreContext, request: DispatchRequest): Promise<DispatchedRow[]> {
  checkDispatchRequest(request);
  if (request.limit === 0) return Promise.resolve([]);
  let batcher = batchers.get(ctx);
  if (batcher === undefined) {
    batcher = new DispatchBatcher((jobId, merged) => dispatchStep(ctx, jobId, merged));
    batchers.set(ctx, batcher);
  }
  return batcher.submit(request.jobId, request);
}

/** One batcher per store instance: merging is per process, which is what a store instance stands for. */
const batchers = new WeakMap<StoreContext, DispatchBatcher<DispatchedRow>>();

/**
 * Up to this many candidate rows are read beside the windows (one round trip); a larger ask (a start, a resume, the
 * pump filling a window of hundreds) reads the windows first and then only as many rows as there is room, since the
 * room is usually a few slots and reading a window's worth of rows on every tick cost more than the round trip.
 */
const CANDIDATES_READ_ALONGSIDE = 32;

/** Tries of one dispatch whose rows changed between the read and the commit (another process dispatched them). */
const MAX_TRIES = 20;

/**
 * One Firestore step for one or more merged calls. Unlike every other step this one is a server transaction: it reads
 * all window shards but changes one, and a transaction's reads are read locks, where an optimistic commit would have
 * to pin (rewrite) every one of them on every dispatch. Only dispatches and transitions write window shards, and this
 * process runs one dispatch per job at a time, so the locks contend only with other processes' dispatches.
 *
 * A few candidate rows are read beside the windows, not after them: one round trip instead of two before the commit
 * (see CANDIDATES_READ_ALONGSIDE). Each is then written only if unchanged since that read (its update time is the
 * write's precondition), so a row another dispatcher took meanwhile fails the commit, and the step runs again.
 */
async function dispatchStep(ctx: StoreContext, jobId: string, request: MergedDispatch): Promise<DispatchedRow[]> {
  for (let tries = 1; ; tries++) {
    try {
      return await dispatchOnce(ctx, jobId, request);
    } catch (error) {
      if (!isLostRace(error) || tries >= MAX_TRIES) throw error;
    }
  }
}

async function dispatchOnce(ctx: StoreContext, jobId: string, request: MergedDispatch): Promise<DispatchedRow[]> {
  const { layout } = ctx;
  // The rows decideDispatch takes, in row order: the query spells the decision's own selection.
  const candidates = (n: number) => rowsSelected(layout.rows(jobId), DISPATCHABLE).orderBy('rowNumber').limit(n);
  // No call ever gets more than maxInFlight rows, so no more are read.
  const asked = Math.min(request.limit, request.maxInFlight);
  const { result, written } = await ctx.db.runTransaction(
    async (tx): Promise<{ result: DispatchedRow[]; written: string[] }> => {
      const none = { result: [], written: [] };
      const [seenReleased, windowSnapshots, early] = await Promise.all([
        releasedAsSeen(ctx, jobId),
        tx.get(layout.windows(jobId)).then((page) => page.docs),
        asked <= CANDIDATES_READ_ALONGSIDE ? candidates(asked).get().then((page) => page.docs) : undefined,
      ]);
      const windows = windowSnapshots.map((snapshot) => read.window(snapshot)!);
      // Every window shard carries the job's status (a transition writes them all in one commit).
      if (windows.length === 0 || !windows.every((window) => jobHoldsSlots(window.status))) return none;
      const dispatched = windows.reduce((sum, window) => sum + window.dispatched, 0);
      const roomWith = (released: number) => dispatchRoom(dispatched - released, request);
      // What this process saw may miss other processes' releases: no room by it is asked of Firestore before it counts.
      const room = seenReleased !== undefined && roomWith(seenReleased) > 0 ? roomWith(seenReleased) : roomWith(await releasedNow(ctx, jobId, seenReleased !== undefined));
      if (room === 0) return none;
      const rowSnapshots = early ?? (await candidates(room).get()).docs;
      const taken: DispatchedRow[] = [];
      const paths: string[] = [];
      let slots = 0;
      for (const snapshot of rowSnapshots.slice(0, room)) {
        const row = read.row(snapshot)!;
        const change = decideDispatch(row, request.now);
        if (change === undefined) continue;
        const next = patched(row, change.patch);
        tx.update(snapshot.ref, { ...next }, { lastUpdateTime: snapshot.updateTime });
        taken.push({ rowId: next.rowId, dispatchSeq: next.dispatchSeq, nextAttemptAt: next.nextAttemptAt });
        paths.push(snapshot.ref.path);
        slots += change.counters.queuedDispatched ?? 0;
      }
      if (taken.length === 0) return none;
      const k = Math.floor(Math.random() * windowSnapshots.length);
      tx.update(windowSnapshots[k]!.ref, { dispatched: windows[k]!.dispatched + slots });
      return { result: taken, written: [...paths, windowSnapshots[k]!.ref.path] };
    },
    { maxAttempts: 20 },
  );
  if (written.length > 0) ctx.noteCommit(written);
  return result;
}

/**
 * Σ released over the job's counter shards as this process last saw them, when it knows how many the job has and has
 * seen every one (no read), else undefined. `released` only grows, so what was seen is at most the truth: the room it
 * gives is never too large.
 */
function releasedAsSeen(ctx: StoreContext, jobId: string): Promise<number | undefined> {
  const shards = ctx.knownCounterShards(jobId);
  if (shards === undefined) return Promise.resolve(undefined);
  let released = 0;
  for (let k = 0; k < shards; k++) {
    const seen = ctx.seen.get(ctx.layout.counter(jobId, k).path)?.data as CounterDoc | undefined;
    if (seen === undefined) return Promise.resolve(undefined);
    released += seen.released;
  }
  return Promise.resolve(released);
}

/**
 * Σ released as Firestore has it now, read outside the transaction on purpose: a release landing after only understates
 * the room. A process that has every shard in its cache (`seenAll`) asks Firestore for the sum alone: one aggregation
 * (billed as one read; ~25 ms on the emulator against ~150 ms for 434 documents), since a job sized for a high rate has
 * up to 482 shards and a full window asks this on every pump tick. Otherwise it reads every shard, which fills the cache.
 */
async function releasedNow(ctx: StoreContext, jobId: string, seenAll: boolean): Promise<number> {
  if (seenAll) {
    const sum = await ctx.layout.counters(jobId).aggregate({ released: AggregateField.sum('released') }).get();
    return sum.data().released ?? 0;
  }
  const counters = await ctx.layout.counters(jobId).get();
  // Every shard of a job is created with it (create-job.ts), so this is the job's count.
  if (counters.size > 0) ctx.learnJob({ id: jobId, counterShards: counters.size });
  for (const snapshot of counters.docs) ctx.seen.saw(snapshot);
  return counters.docs.reduce((sum, snapshot) => sum + read.counter(snapshot)!.released, 0);
}
