// Reading rows back — one row, a page in rowNumber order (by status, or unflushed), recent outcomes — and the flush marks.
import type { Query } from '@google-cloud/firestore';
import type { Row, RowStatus } from '../../ports/domain.js';
import type { ListRowsRequest } from '../../ports/store.js';
import type { StoreContext } from './context.js';
import { read, toRow } from './mappers.js';
import { isTerminal } from './records.js';
import { finishTransition } from './finish-transition.js';
import { assertCount, assertTime } from '../../domain/store-arguments.js';

/** Reads finish a pending transition first, so a row is never seen half-way (queued in a cancelled job, say). */
export async function getRow(ctx: StoreContext, jobId: string, rowId: string): Promise<Row | undefined> {
  const [jobSnapshot, rowSnapshot] = await ctx.channel.getAll([ctx.layout.job(jobId), ctx.layout.row(jobId, rowId)]);
  if (read.job(jobSnapshot!)?.settle != null) {
    await finishTransition(ctx, jobId);
    return getRow(ctx, jobId, rowId);
  }
  // The task claims this row next: its claim can then commit on this read instead of reading the row again.
  ctx.seen.saw(rowSnapshot!);
  const row = read.row(rowSnapshot!);
  return row === undefined ? undefined : toRow(jobId, row);
}

export async function listRows(ctx: StoreContext, request: ListRowsRequest): Promise<Row[]> {
  assertCount('limit', request.limit);
  if (request.afterRowNumber !== undefined) assertTime('afterRowNumber', request.afterRowNumber);
  let statuses: readonly RowStatus[] | undefined = request.statuses;
  if (request.unflushedOnly === true && statuses !== undefined) statuses = statuses.filter(isTerminal);
  if (request.limit === 0 || statuses?.length === 0) return [];
  const job = read.job(await ctx.layout.job(request.jobId).get());
  if (job === undefined) return [];
  if (job.settle !== null) await finishTransition(ctx, request.jobId);
  let query: Query = ctx.layout.rows(request.jobId);
  if (request.unflushedOnly === true) query = query.where('pendingFlush', '==', true);
  if (statuses !== undefined) query = query.where('status', 'in', [...new Set(statuses)]);
  if (request.afterRowNumber !== undefined) query = query.where('rowNumber', '>', request.afterRowNumber);
  const page = await query.orderBy('rowNumber').limit(request.limit).get();
  return page.docs.map((snapshot) => toRow(request.jobId, read.row(snapshot)!));
}

/** Newest first by finish time. Re-queued rows drop out: requeueFailed clears their finishedAt and status. */
export async function recentOutcomes(ctx: StoreContext, jobId: string, n: number, since: number): Promise<Array<'done' | 'failed'>> {
  assertCount('n', n);
  assertTime('since', since);
  if (n === 0) return [];
  const page = await ctx.layout
    .rows(jobId)
    .where('status', 'in', ['done', 'failed'])
    .where('finishedAt', '>=', since)
    .orderBy('finishedAt', 'desc')
    .limit(n)
    .get();
  return page.docs.map((snapshot) => read.row(snapshot)!.status as 'done' | 'failed');
}

/**
 * Blind updates, no preconditions: "flushed" and its derived twin are written together, so whatever else changed on the
 * row meanwhile the two stay consistent. Unknown ids are skipped.
 */
export async function markFlushed(ctx: StoreContext, jobId: string, rowIds: readonly string[]): Promise<void> {
  for (let i = 0; i < rowIds.length; i += 400) {
    const refs = rowIds.slice(i, i + 400).map((rowId) => ctx.layout.row(jobId, rowId));
    if (refs.length === 0) continue;
    const snapshots = await ctx.db.getAll(...refs);
    const batch = ctx.db.batch();
    let writes = 0;
    for (const snapshot of snapshots) {
      if (!snapshot.exists) continue;
      batch.update(snapshot.ref, { flushed: true, pendingFlush: false });
      writes++;
    }
    if (writes > 0) await batch.commit();
  }
}

/** Every row marked flushed becomes unflushed again, in batches (each row's two flush fields change together). */
export async function markAllUnflushed(ctx: StoreContext, jobId: string): Promise<number> {
  let total = 0;
  for (;;) {
    const page = await ctx.layout.rows(jobId).where('flushed', '==', true).limit(400).get();
    if (page.empty) return total;
    const batch = ctx.db.batch();
    for (const snapshot of page.docs) batch.update(snapshot.ref, { flushed: false, pendingFlush: isTerminal(read.row(snapshot)!.status) });
    await batch.commit();
    total += page.size;
  }
}
