// finishRow: records a claimed row's outcome on the row and its counter shard, releasing its reservation and slot.
import type { FinishRequest } from '../../ports/store.js';
import { allowance, normalize } from './budget.js';
import { releaseInCommit, rememberInCommit } from './cache-hold.js';
import type { StoreContext } from './context.js';
import type { CounterDelta } from './counters.js';
import { applyDelta } from './counters.js';
import { shardOf } from './layout.js';
import { read } from './mappers.js';
import type { Attempt } from './occ.js';
import type { CounterDoc, RowDoc } from './records.js';
import { withDerived } from './records.js';
import { assertTime, checkedUsage } from './validate.js';

/**
 * Two documents, the row and its counter shard, pinned: the shard carries the job's status, so a retry after a pause
 * loses its slot exactly as SQLite's single transaction would decide. Returns false (changing nothing) for a stale lease.
 * A success's cache and registry entries and the release of the row's cache hold are written in the same commit.
 */
export async function finishRow(ctx: StoreContext, request: FinishRequest): Promise<boolean> {
  const { jobId, rowId, outcome, now } = request;
  assertTime('now', now);
  const usage = checkedUsage(outcome.usage, outcome.costUsd);
  if (outcome.kind === 'retry') assertTime('nextAttemptAt', outcome.nextAttemptAt);
  const { layout } = ctx;
  const guess = shardOf(rowId, ctx.counterShards);
  return ctx.mutex.run(`counter:${jobId}:${guess}`, () =>
    ctx.occ('finishRow', async (attempt) => {
      const [rowSnapshot, guessSnapshot] = await attempt.getAll([layout.row(jobId, rowId), layout.counter(jobId, guess)]);
      const row = read.row(rowSnapshot!);
      if (row === undefined || row.status !== 'running' || row.leaseSeq !== request.leaseToken) return false;
      const shardSnapshot = row.shard === guess ? guessSnapshot! : (await attempt.getAll([layout.counter(jobId, row.shard)]))[0]!;
      const shard = read.counter(shardSnapshot);
      if (shard === undefined) return false;
      const tokens = {
        inputTokens: row.inputTokens + usage.inputTokens,
        cachedInputTokens: row.cachedInputTokens + usage.cachedInputTokens,
        outputTokens: row.outputTokens + usage.outputTokens,
        costNanos: row.costNanos + usage.costNanos,
      };
      const money = { spentNanos: usage.costNanos, reservedNanos: -row.reservedNanos };
      let next: RowDoc;
      let delta: CounterDelta;
      if (outcome.kind === 'done' || outcome.kind === 'failed') {
        const done = outcome.kind === 'done';
        const cached = done && outcome.cached;
        next = withDerived({
          ...row,
          ...tokens,
          status: outcome.kind,
          dispatched: false,
          leaseUntil: null,
          reservedNanos: 0,
          outputs: done ? JSON.stringify(outcome.outputs) : null,
          cached,
          errorClass: done ? null : outcome.errorClass,
          errorMessage: done ? null : outcome.message,
          flushed: false,
          finishedAt: now,
        });
        delta = { running: -1, done: done ? 1 : 0, cached: cached ? 1 : 0, failed: done ? 0 : 1, released: 1, ...money, errors: done ? {} : { [outcome.errorClass]: 1 } };
      } else {
        // retry or release. A cancelled job keeps no queued rows, and only a running job's rows hold window slots.
        const retry = outcome.kind === 'retry';
        const status = shard.status === 'cancelled' ? 'cancelled' : 'queued';
        const dispatched = retry && shard.status === 'running';
        next = withDerived({
          ...row,
          ...tokens,
          status,
          dispatched,
          // A released attempt was cut short by a pause or cancel, not by the row: it does not count against maxAttempts.
          attempt: row.attempt + (retry ? 0 : -1),
          nextAttemptAt: retry ? outcome.nextAttemptAt : row.nextAttemptAt,
          leaseUntil: null,
          reservedNanos: 0,
          errorClass: retry ? outcome.errorClass : row.errorClass,
          errorMessage: retry ? outcome.message : row.errorMessage,
          flushed: false,
          finishedAt: status === 'cancelled' ? now : null,
        });
        delta = {
          running: -1,
          queued: status === 'queued' ? 1 : 0,
          cancelled: status === 'cancelled' ? 1 : 0,
          released: dispatched ? 0 : 1,
          ...money,
          retries: retry ? { [outcome.errorClass]: 1 } : {},
        };
      }
      attempt.update(rowSnapshot!.ref, next);
      // The answer and the release of the hold ride in the row's commit, so a waiter never finds the key free and the answer missing.
      if (outcome.kind === 'done' && request.remember) rememberInCommit(ctx, attempt, request.remember);
      if (request.cacheHold) await releaseInCommit(ctx, attempt, request.cacheHold);
      const updated = applyDelta(shard, delta, now);
      if (updated.budgetNanos !== null && allowance(updated) < 0) await coverOverrun(ctx, attempt, jobId, row.shard, updated);
      else attempt.update(shardSnapshot.ref, updated);
      return true;
    }),
  );
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
