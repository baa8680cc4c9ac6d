// Settling a transition: finishes what it started, undispatching (on cancel, cancelling) a job's queued rows in atomic batches.
import type { StoreContext } from './context.js';
import type { CounterDelta } from '../../domain/row-transitions.js';
import { addDeltas } from '../../domain/row-transitions.js';
import { decideQueuedRow, queuedRowsOf } from '../../domain/job-transitions.js';
import { applyDelta, toShardDelta } from './counters.js';
import { read } from './mappers.js';
import { patched } from './records.js';
import { rowsSelected } from './row-selection.js';

/** Rows per commit. */
const BATCH = 200;

/**
 * A transition cannot rewrite 100,000 rows in one commit, so it leaves a mark on the job and this loop works it off,
 * each batch moving rows and their counts together. Until the mark is cleared nothing can observe the half-done state:
 * the job is not running (no dispatch, no claim), a resume finishes it first, and row reads finish it before answering.
 * Any process may run it — after a crash the next reader finishes the job.
 */
export async function finishTransition(ctx: StoreContext, jobId: string): Promise<void> {
  const { layout } = ctx;
  for (let finished = false; !finished; ) {
    finished = await ctx.occ('finishTransition', async (attempt) => {
      const [jobSnapshot] = await attempt.getAll([layout.job(jobId)]);
      const mark = read.job(jobSnapshot!)?.settle ?? null;
      if (mark === null) return true;
      const rows = (await attempt.query(rowsSelected(layout.rows(jobId), queuedRowsOf(mark)).limit(BATCH))).map((snapshot) => read.row(snapshot)!);
      const deltas = new Map<number, CounterDelta>();
      for (const row of rows) {
        const change = decideQueuedRow(mark, row);
        if (change === undefined) continue;
        attempt.update(layout.row(jobId, row.rowId), patched(row, change.patch));
        deltas.set(row.shard, addDeltas(deltas.get(row.shard) ?? {}, change.counters));
      }
      const shards = [...deltas.keys()];
      const snapshots = await attempt.getAll(shards.map((k) => layout.counter(jobId, k)));
      snapshots.forEach((snapshot, i) => attempt.update(snapshot.ref, applyDelta(read.counter(snapshot)!, toShardDelta(deltas.get(shards[i]!)!), null)));
      const done = rows.length < BATCH;
      if (done) attempt.update(layout.job(jobId), { settle: null });
      return done;
    });
  }
}
