// dispatchRows: gives queued rows window slots, never letting dispatched + running rows exceed maxInFlight.
import type { DispatchedRow, DispatchRequest } from '../../ports/store.js';
import type { StoreContext } from './context.js';
import type { MergedDispatch } from './dispatch-batcher.js';
import { DispatchBatcher } from './dispatch-batcher.js';
import { read } from './mappers.js';
import { withDerived } from './records.js';
import { assertCount, assertTime } from '../../engine/store-arguments.js';

/**
 * In flight = Σ window.dispatched − Σ counter.released. Both only grow. The window shards are read under the
 * transaction's locks, so two dispatches never both spend the same room; the counter shards are read outside it,
 * because a release that lands after the read only makes the room we computed smaller than the truth — never larger.
 * So a finishing row (which bumps `released` on its counter shard) never holds up a dispatch, and only one window
 * shard is written per call.
 */
export function dispatchRows(ctx: StoreContext, request: DispatchRequest): Promise<DispatchedRow[]> {
  assertTime('now', request.now);
  assertCount('maxInFlight', request.maxInFlight);
  assertCount('limit', request.limit);
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
 * One Firestore step for one or more merged calls. Unlike every other step this one is a server transaction: it reads
 * all window shards but changes one, and a transaction's reads are read locks, where an optimistic commit would have
 * to pin (rewrite) every one of them on every dispatch. Only dispatches and transitions write window shards, and this
 * process runs one dispatch per job at a time, so the locks contend only with other processes' dispatches.
 */
async function dispatchStep(ctx: StoreContext, jobId: string, request: MergedDispatch): Promise<DispatchedRow[]> {
  const { layout } = ctx;
  const { result, written } = await ctx.db.runTransaction(
    async (tx): Promise<{ result: DispatchedRow[]; written: string[] }> => {
      const none = { result: [], written: [] };
      // Read outside the transaction on purpose: `released` only grows, so a stale value only understates the room.
      const counters = await layout.counters(jobId).get();
      const windowSnapshots = (await tx.get(layout.windows(jobId))).docs;
      const windows = windowSnapshots.map((snapshot) => read.window(snapshot)!);
      // Only a running job gets window slots: a slot given to a paused job would sit idle and shrink the window on resume.
      if (windows.length === 0 || windows.some((window) => window.status !== 'running')) return none;
      const dispatched = windows.reduce((sum, window) => sum + window.dispatched, 0);
      const released = counters.docs.reduce((sum, snapshot) => sum + read.counter(snapshot)!.released, 0);
      const room = Math.min(request.limit, request.maxInFlight - (dispatched - released));
      if (room <= 0) return none;
      const query = layout.rows(jobId).where('status', '==', 'queued').where('dispatched', '==', false).orderBy('rowNumber').limit(room);
      const rows = (await tx.get(query)).docs.map((snapshot) => read.row(snapshot)!);
      if (rows.length === 0) return none;
      const dispatchedRows = rows.map((row) => {
        // nextAttemptAt is raised to now so that "should have run by" (undispatchStale) counts from the dispatch, not from submit.
        const next = withDerived({ ...row, dispatched: true, dispatchSeq: row.dispatchSeq + 1, nextAttemptAt: Math.max(row.nextAttemptAt, request.now) });
        tx.update(layout.row(jobId, row.rowId), { ...next });
        return { rowId: next.rowId, dispatchSeq: next.dispatchSeq, nextAttemptAt: next.nextAttemptAt };
      });
      const k = Math.floor(Math.random() * windowSnapshots.length);
      tx.update(windowSnapshots[k]!.ref, { dispatched: windows[k]!.dispatched + rows.length });
      return { result: dispatchedRows, written: [...rows.map((row) => layout.row(jobId, row.rowId).path), windowSnapshots[k]!.ref.path] };
    },
    { maxAttempts: 20 },
  );
  if (written.length > 0) ctx.noteCommit(written);
  return result;
}
