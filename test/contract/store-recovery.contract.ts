// Store contract, recovery: expired leases, lost tasks, re-running failed rows, and the failure-rate window.
import { describe, expect, it } from 'vitest';
import type { HarnessContext } from './helpers/store-harness.js';
import { LEASE_MS, T0, claimNext, done, failed, newJob, retry, startJob } from './helpers/store-fixtures.js';

export function describeRecoveryContract(ctx: HarnessContext): void {
  describe('expireLeases', () => {
    it('returns rows whose lease ran out to the queue, undispatched, and counts their reservation as spent', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 3, budgetUsd: 1 });
      const shortLived = await claimNext(ctx.store, jobId, { now: T0, reserveUsd: 0.2 });
      const [slot] = await ctx.store.dispatchRows({ jobId, maxInFlight: 10, limit: 1, now: T0 });
      const longLived = await ctx.store.claimRow({ jobId, rowId: slot!.rowId, dispatchSeq: slot!.dispatchSeq, now: T0, leaseMs: 10 * LEASE_MS, reserveUsd: 0.3 });
      if (!longLived.ok) throw new Error('claim refused');

      expect(await ctx.store.expireLeases(jobId, T0 + LEASE_MS - 1)).toBe(0);
      expect(await ctx.store.expireLeases(jobId, T0 + LEASE_MS + 1)).toBe(1);
      expect(await ctx.store.getRow(jobId, shortLived.row.rowId)).toMatchObject({ status: 'queued', dispatched: false, reservedUsd: 0, leaseUntil: null });
      expect(await ctx.store.getRow(jobId, longLived.row.rowId)).toMatchObject({ status: 'running' });
      expect(await ctx.store.counts(jobId)).toMatchObject({ queued: 2, running: 1, spentUsd: 0.2, reservedUsd: 0.3 });

      // The dead worker's late finish is refused: its lease is gone.
      const late = await ctx.store.finishRow({ jobId, rowId: shortLived.row.rowId, leaseToken: shortLived.leaseToken, outcome: done(0.1), now: T0 + LEASE_MS + 2 });
      expect(late).toBe(false);
      expect((await ctx.store.counts(jobId)).spentUsd).toBe(0.2);
    });

    it('with now = Infinity recovers every running row', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 3, budgetUsd: 1 });
      await claimNext(ctx.store, jobId, { reserveUsd: 0.1 });
      await claimNext(ctx.store, jobId, { reserveUsd: 0.1 });
      expect(await ctx.store.expireLeases(jobId, Number.POSITIVE_INFINITY)).toBe(2);
      expect(await ctx.store.counts(jobId)).toMatchObject({ queued: 3, running: 0, spentUsd: 0.2, reservedUsd: 0 });
      expect(await ctx.store.dispatchRows({ jobId, maxInFlight: 3, limit: 3, now: T0 + 1 })).toHaveLength(3);
    });

    it('recovers nothing for an unknown job', async () => {
      expect(await ctx.store.expireLeases('no-such-job', Number.POSITIVE_INFINITY)).toBe(0);
    });
  });

  describe('undispatchStale', () => {
    it('frees only the slots of queued rows whose task is overdue', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 4 });
      await ctx.store.dispatchRows({ jobId, maxInFlight: 10, limit: 2, now: T0 });
      const running = await claimNext(ctx.store, jobId, { now: T0 });
      const retrying = await claimNext(ctx.store, jobId, { now: T0 });
      await ctx.store.finishRow({ jobId, rowId: retrying.row.rowId, leaseToken: retrying.leaseToken, outcome: retry(T0 + 60_000), now: T0 + 1 });

      expect(await ctx.store.undispatchStale(jobId, T0 + 1_000)).toBe(2);
      expect(await ctx.store.getRow(jobId, 'r1')).toMatchObject({ status: 'queued', dispatched: false });
      expect(await ctx.store.getRow(jobId, retrying.row.rowId)).toMatchObject({ status: 'queued', dispatched: true });
      expect(await ctx.store.getRow(jobId, running.row.rowId)).toMatchObject({ status: 'running' });
      // One running + one retry waiting: a window of 4 has room for exactly two more.
      expect(await ctx.store.dispatchRows({ jobId, maxInFlight: 4, limit: 10, now: T0 + 2 })).toHaveLength(2);
      // Re-dispatched at T0 + 2, they are due from then on, not from their first dispatch.
      expect(await ctx.store.undispatchStale(jobId, T0 + 2)).toBe(0);
    });
  });

  describe('requeueFailed', () => {
    it('puts failed rows back in the queue with attempts and errors cleared, and adjusts the counters', async () => {
      const job = newJob();
      await ctx.store.createJob(job, T0);
      await ctx.store.addRows(job.id, [
        { rowId: 'a', rowNumber: 1, inputs: {}, inputHash: 'ha' },
        { rowId: 'b', rowNumber: 2, inputs: {}, inputHash: 'hb' },
        { rowId: 'bad', rowNumber: 3, inputs: {}, inputHash: 'hx', status: 'failed', errorClass: 'input_invalid', errorMessage: 'empty' },
      ]);
      await ctx.store.transitionJob(job.id, { to: 'running', from: ['preparing'], now: T0 });
      const a = await claimNext(ctx.store, job.id);
      await ctx.store.finishRow({ jobId: job.id, rowId: 'a', leaseToken: a.leaseToken, outcome: failed(0.01, 'output_invalid'), now: T0 + 1 });
      const b = await claimNext(ctx.store, job.id);
      await ctx.store.finishRow({ jobId: job.id, rowId: 'b', leaseToken: b.leaseToken, outcome: done(0.01), now: T0 + 2 });
      expect(await ctx.store.counts(job.id)).toMatchObject({ failed: 2, done: 1, errorsByClass: { output_invalid: 1, input_invalid: 1 } });

      expect(await ctx.store.requeueFailed(job.id)).toBe(2);
      expect(await ctx.store.getRow(job.id, 'a')).toMatchObject({
        status: 'queued', dispatched: false, attempt: 0, errorClass: null, errorMessage: null, finishedAt: null, costUsd: 0.01,
      });
      const counts = await ctx.store.counts(job.id);
      expect(counts).toMatchObject({ queued: 2, failed: 0, done: 1, spentUsd: 0.02 });
      expect(counts.errorsByClass).toEqual({});
      expect((await ctx.store.dispatchRows({ jobId: job.id, maxInFlight: 5, limit: 5, now: T0 + 3 })).map((d) => d.rowId)).toEqual(['a', 'bad']);
      expect(await ctx.store.requeueFailed(job.id)).toBe(0);
    });
  });

  describe('recentOutcomes', () => {
    it('lists the newest done/failed outcomes finished at or after `since`, newest first, at most n', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 6 });
      const outcomes = [done(0), failed(), done(0), failed(), failed()];
      for (const [i, outcome] of outcomes.entries()) {
        const claim = await claimNext(ctx.store, jobId, { now: T0 + i * 10 });
        await ctx.store.finishRow({ jobId, rowId: claim.row.rowId, leaseToken: claim.leaseToken, outcome, now: T0 + i * 10 + 1 });
      }
      // A retry is not an outcome.
      const retrying = await claimNext(ctx.store, jobId, { now: T0 + 100 });
      await ctx.store.finishRow({ jobId, rowId: retrying.row.rowId, leaseToken: retrying.leaseToken, outcome: retry(T0 + 200), now: T0 + 101 });

      expect(await ctx.store.recentOutcomes(jobId, 20, 0)).toEqual(['failed', 'failed', 'done', 'failed', 'done']);
      expect(await ctx.store.recentOutcomes(jobId, 2, 0)).toEqual(['failed', 'failed']);
      expect(await ctx.store.recentOutcomes(jobId, 20, T0 + 21)).toEqual(['failed', 'failed', 'done']);
      expect(await ctx.store.recentOutcomes(jobId, 20, T0 + 1_000)).toEqual([]);
    });
  });
}
