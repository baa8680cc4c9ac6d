// claimRow: leases a dispatched row and reserves its worst-case cost from its counter shard's budget allowance.
import type { DocumentSnapshot } from '@google-cloud/firestore';
import type { ClaimRequest, ClaimResult } from '../../ports/store.js';
import type { Take } from './budget.js';
import { allowance, freeBudget, gather, topUp, transferFrom } from './budget.js';
import type { StoreContext } from './context.js';
import { applyDelta, toShardDelta } from './counters.js';
import { read, toRow } from './mappers.js';
import type { RowChange } from '../../domain/row-transitions.js';
import { decideClaim } from '../../domain/row-transitions.js';
import { checkClaimRequest } from '../../domain/store-arguments.js';
import type { Attempt } from './occ.js';
import type { CounterDoc, RowDoc } from './records.js';
import { patched } from './records.js';

/** The shard's allowance is too small: the claim has to look at the whole budget. */
const DRY = Symbol('dry');

/**
 * The common case touches two documents — the row and its counter shard — and nothing shared by the whole job. When
 * the shard's allowance runs dry, the claim reads the pool and every shard at one instant: it answers `budget` only
 * if spent + reserved + reserveUsd really exceeds the budget then; otherwise it takes the allowance from another
 * shard that sits on idle allowance, else a chunk from the pool, else from both.
 */
export async function claimRow(ctx: StoreContext, request: ClaimRequest): Promise<ClaimResult> {
  const reserve = checkClaimRequest(request);
  const guess = ctx.shardGuess(request.jobId, request.rowId);
  const fast = await ctx.mutex.run(`counter:${request.jobId}:${guess}`, () =>
    ctx.occ('claimRow', async (attempt) => {
      const [rowSnapshot, shardSnapshot] = await readRowAndShard(ctx, attempt, request.jobId, request.rowId, guess);
      const row = read.row(rowSnapshot);
      const shard = read.counter(shardSnapshot);
      // Decided against this shard's allowance only: `budget` here means "look at the whole budget", not a refusal.
      const decision = decideClaim(row, shard && { status: shard.status, budgetLeftNanos: shard.budgetNanos === null ? null : allowance(shard) }, request, reserve);
      if (!decision.ok) return decision.refusal.reason === 'budget' ? DRY : decision.refusal;
      return claim(attempt, request, rowSnapshot, row!, shardSnapshot, shard!, decision, 0);
    }),
  );
  if (fast !== DRY) return fast;
  // First without taking turns: a refusal (the common answer once a budget is used up) writes nothing and needs no
  // turn. Claims that move allowance then take turns in this process: they would mostly race for the same donors.
  const verdict = await ctx.occ('claimRow (budget)', (attempt) => throughBudget(ctx, attempt, request, reserve, guess, false));
  if (verdict !== MOVE) return verdict;
  return ctx.mutex.run(`budget:${request.jobId}`, async () => {
    const result = await ctx.occ('claimRow (budget)', (attempt) => throughBudget(ctx, attempt, request, reserve, guess, true));
    if (result === MOVE) throw new Error('claimRow: moving allowance was refused while holding the budget turn');
    return result;
  });
}

/** The answer moves allowance between shards or from the pool; run again holding the job's budget turn. */
const MOVE = Symbol('move allowance');

/**
 * The slow path: one consistent snapshot of the job, the row, the pool and every shard, pinned only as far as the
 * decision needs (row and own shard for any claim; the shards it takes from; the pool when it takes from it).
 */
async function throughBudget(ctx: StoreContext, attempt: Attempt, request: ClaimRequest, reserve: number, guess: number, mayMove: boolean): Promise<ClaimResult | typeof MOVE> {
  const { layout } = ctx;
  const snapshot = async (count: number) =>
    attempt.getAll([layout.job(request.jobId), layout.row(request.jobId, request.rowId), layout.pool(request.jobId), ...Array.from({ length: count }, (_, k) => layout.counter(request.jobId, k))], { pin: false });
  const known = ctx.counterShardsOf(request.jobId);
  let all = await snapshot(known);
  // Reading the job document taught the context its count (context.ts): only a wrong guess costs a second read.
  const shards = read.job(all[0]!)?.counterShards ?? known;
  if (shards !== known) all = await snapshot(shards);
  const [, rowSnapshot, poolSnapshot, ...counterSnapshots] = all;
  const row = read.row(rowSnapshot!);
  const own = row?.shard ?? guess;
  const shardSnapshot = counterSnapshots[own];
  const shard = shardSnapshot === undefined ? undefined : read.counter(shardSnapshot);
  const counters = counterSnapshots.map((snapshot) => read.counter(snapshot)).filter((counter) => counter !== undefined);
  const granted = (poolSnapshot!.data() as { grantedNanos: number } | undefined)?.grantedNanos ?? 0;
  const budget = shard?.budgetNanos ?? null;
  // Decided against the whole job's free budget (the pool's unallocated part and every shard's allowance).
  const decision = decideClaim(row, shard && { status: shard.status, budgetLeftNanos: budget === null ? null : freeBudget(counters, budget, granted) }, request, reserve);
  if (!decision.ok && decision.refusal.reason !== 'budget') return decision.refusal;
  attempt.pin(rowSnapshot!.ref);
  attempt.pin(shardSnapshot!.ref);
  // No commit: the refusal rests on one consistent snapshot of the pool and every shard.
  if (!decision.ok) return decision.refusal;
  // Someone topped this shard up meanwhile (or the budget was lifted): an ordinary claim after all.
  if (budget === null || allowance(shard!) >= reserve) return claim(attempt, request, rowSnapshot!, row!, shardSnapshot!, shard!, decision, 0);
  if (!mayMove) return MOVE;
  const need = reserve - allowance(shard!);
  const take = (takes: readonly Take[]): number => {
    for (const { shard: k, amount } of takes) {
      attempt.pin(counterSnapshots[k]!.ref);
      attempt.update(counterSnapshots[k]!.ref, { grantNanos: counters[k]!.grantNanos - amount });
    }
    return takes.reduce((sum, t) => sum + t.amount, 0);
  };
  // Allowance left idle in another shard (reserved, then not all spent) moves over directly, leaving the pool alone.
  const donor = transferFrom(counters, own, need, Math.random());
  if (donor !== undefined) return claim(attempt, request, rowSnapshot!, row!, shardSnapshot!, shard!, decision, take([donor]));
  const extra = topUp(reserve, allowance(shard!), budget - granted, shards);
  const gathered = gather(counters, own, need);
  if (extra === 0 && gathered.covered) return claim(attempt, request, rowSnapshot!, row!, shardSnapshot!, shard!, decision, take(gathered.takes));
  attempt.pin(poolSnapshot!.ref);
  if (extra > 0) {
    attempt.update(poolSnapshot!.ref, { grantedNanos: granted + extra });
    return claim(attempt, request, rowSnapshot!, row!, shardSnapshot!, shard!, decision, extra);
  }
  // Neither the pool nor the other shards alone cover it, together they do (freeBudget said so): all of both.
  const fromShards = take(gathered.takes);
  const fromPool = need - fromShards;
  attempt.update(poolSnapshot!.ref, { grantedNanos: granted + fromPool });
  return claim(attempt, request, rowSnapshot!, row!, shardSnapshot!, shard!, decision, fromShards + fromPool);
}

/**
 * The row and its counter shard in one snapshot; a job made with another shard count costs one more read. Usually
 * neither is read: the row was just read by the task (getRow) and the shard written by this process's last step on it,
 * and the commit's pins check both are still as seen.
 */
async function readRowAndShard(ctx: StoreContext, attempt: Attempt, jobId: string, rowId: string, guess: number): Promise<[DocumentSnapshot, DocumentSnapshot]> {
  const [rowSnapshot, shardSnapshot] = await attempt.getAll([ctx.layout.row(jobId, rowId), ctx.layout.counter(jobId, guess)], { pin: false, cached: true });
  const row = read.row(rowSnapshot!);
  if (row === undefined || row.shard === guess) {
    attempt.pin(rowSnapshot!.ref);
    attempt.pin(shardSnapshot!.ref);
    return [rowSnapshot!, shardSnapshot!];
  }
  const [own] = await attempt.getAll([ctx.layout.counter(jobId, row.shard)], { cached: true });
  attempt.pin(rowSnapshot!.ref);
  return [rowSnapshot!, own!];
}

/** Writes the decided claim; `extraGrant` is allowance this claim moved to its shard from the pool or other shards. */
function claim(attempt: Attempt, request: ClaimRequest, rowSnapshot: DocumentSnapshot, row: RowDoc, shardSnapshot: DocumentSnapshot, shard: CounterDoc, decision: RowChange, extraGrant: number): ClaimResult {
  const next = patched(row, decision.patch);
  attempt.update(rowSnapshot.ref, next);
  attempt.update(shardSnapshot.ref, applyDelta(shard, toShardDelta(decision.counters, extraGrant), request.now));
  return { ok: true, row: toRow(request.jobId, next), leaseToken: next.leaseSeq };
}
