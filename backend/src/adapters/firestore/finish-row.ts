// finishRow: records a claimed row's outcome on the row and its counter shard, releasing its reservation and slot.
import type { DocumentReference } from '@google-cloud/firestore';
import type { FinishRequest } from '../../ports/store.js';
import { allowance, normalize } from './budget.js';
import { releaseInCommit, rememberInCommit } from './cache-hold.js';
import type { StoreContext } from './context.js';
import { decideFinish } from '../../domain/row-transitions.js';
import { checkFinishRequest } from '../../domain/store-arguments.js';
import { applyDelta, toShardDelta } from './counters.js';
import { read } from './mappers.js';
import type { Attempt } from './occ.js';
import type { CacheHoldDoc, CounterDoc } from './records.js';
import { patched } from './records.js';

/**
 * Two documents, the row and its counter shard, pinned: the shard carries the job's status, so a retry after a pause
 * loses its slot as decideFinish (domain/row-transitions) rules on a consistent read. Returns false (changing nothing) for a stale lease.
 * A success's cache and registry entries and the release of the row's cache hold are written in the same commit.
 */
export async function finishRow(ctx: StoreContext, request: FinishRequest): Promise<boolean> {
  const { jobId, rowId, outcome, now } = request;
  const usage = checkFinishRequest(request);
  const { layout } = ctx;
  const guess = ctx.shardGuess(jobId, rowId);
  return ctx.mutex.run(`counter:${jobId}:${guess}`, () =>
    ctx.occ('finishRow', async (attempt) => {
      // Usually no read at all: this process's claim wrote the row, its last step on the shard wrote the shard, and its
      // hold wrote the hold; the pins check they are still as seen. A hold seen as someone else's is read afresh
      // (releaseInCommit), since it is then left unpinned.
      const [rowSnapshot, guessSnapshot] = await attempt.getAll([layout.row(jobId, rowId), layout.counter(jobId, guess), ...heldHere(ctx, request.cacheHold)], { pin: false, cached: true });
      const row = read.row(rowSnapshot!);
      attempt.pin(rowSnapshot!.ref);
      const shardSnapshot = row === undefined || row.shard === guess ? guessSnapshot! : (await attempt.getAll([layout.counter(jobId, row.shard)], { cached: true }))[0]!;
      attempt.pin(shardSnapshot.ref);
      const shard = read.counter(shardSnapshot);
      const decision = decideFinish(row, shard && { status: shard.status }, request, usage);
      if (!decision.ok || row === undefined || shard === undefined) return false;
      attempt.update(rowSnapshot!.ref, patched(row, decision.patch));
      // The answer and the release of the hold ride in the row's commit, so a waiter never finds the key free and the answer missing.
      if (outcome.kind === 'done' && request.remember) rememberInCommit(ctx, attempt, request.remember);
      if (request.cacheHold) await releaseInCommit(ctx, attempt, request.cacheHold);
      const updated = applyDelta(shard, toShardDelta(decision.counters), now);
      if (updated.budgetNanos !== null && allowance(updated) < 0) await coverOverrun(ctx, attempt, jobId, row.shard, updated);
      else attempt.update(shardSnapshot.ref, updated);
      return true;
    }),
  );
}

/** The hold's document when this process last saw it held by `hold.holder` (so a cached read of it is pinned). */
function heldHere(ctx: StoreContext, hold: FinishRequest['cacheHold']): DocumentReference[] {
  if (hold === undefined) return [];
  const ref = ctx.layout.cacheHold(hold.key);
  const seen = ctx.seen.get(ref.path)?.data as CacheHoldDoc | undefined;
  return seen !== undefined && seen.key === hold.key && seen.holder === hold.holder ? [ref] : [];
}

/**
 * The row cost more than it reserved, so its shard's allowance went negative: take every idle allowance back to the
 * pool (this shard's deficit covered first), so no other shard can reserve on top of the overrun. Rare by design —
 * the engine reserves each row's worst case — so reading every shard here is fine.
 */
async function coverOverrun(ctx: StoreContext, attempt: Attempt, jobId: string, own: number, updated: CounterDoc): Promise<void> {
  const snapshots = await attempt.query(ctx.layout.counters(jobId));
  const counters = snapshots.map((snapshot) => (Number(snapshot.id) === own ? updated : read.counter(snapshot)!));
  const plan = normalize(counters);
  snapshots.forEach((snapshot, i) => attempt.update(snapshot.ref, Number(snapshot.id) === own ? { ...updated, grantNanos: plan.grants[i] } : { grantNanos: plan.grants[i] }));
  const [pool] = await attempt.getAll([ctx.layout.pool(jobId)]);
  attempt.update(pool!.ref, { grantedNanos: plan.granted });
}
