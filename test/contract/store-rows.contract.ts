// Store contract, the row hot path: dispatching window slots, claiming with a lease and a reservation, finishing.
import { describe, expect, it } from 'vitest';
import type { HarnessContext } from './helpers/store-harness.js';
import { LEASE_MS, T0, USAGE, claimNext, done, failed, newJob, release, retry, startJob } from './helpers/store-fixtures.js';

export function describeRowContract(ctx: HarnessContext): void {
  describe('dispatchRows', () => {
    it('gives queued rows window slots in rowNumber order, up to the limit and the in-flight cap', async () => {
      const job = newJob();
      await ctx.store.createJob(job, T0);
      // Submitted out of order: dispatch order follows rowNumber, not insertion.
      await ctx.store.addRows(job.id, [30, 10, 50, 20, 40].map((n) => ({ rowId: `x${n}`, rowNumber: n, inputs: {}, inputHash: `h${n}` })));
      await ctx.store.transitionJob(job.id, { to: 'running', from: ['preparing'], now: T0 });

      const firstTwo = await ctx.store.dispatchRows({ jobId: job.id, maxInFlight: 3, limit: 2, now: T0 });
      expect(firstTwo.map((d) => d.rowId)).toEqual(['x10', 'x20']);
      const capped = await ctx.store.dispatchRows({ jobId: job.id, maxInFlight: 3, limit: 10, now: T0 });
      expect(capped.map((d) => d.rowId)).toEqual(['x30']);

      const claim = await ctx.store.claimRow({ jobId: job.id, rowId: 'x10', dispatchSeq: firstTwo[0]!.dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd: 0.1 });
      if (!claim.ok) throw new Error('claim refused');
      // Running rows hold their slot too.
      expect(await ctx.store.dispatchRows({ jobId: job.id, maxInFlight: 3, limit: 10, now: T0 })).toEqual([]);

      await ctx.store.finishRow({ jobId: job.id, rowId: 'x10', leaseToken: claim.leaseToken, outcome: done(0.01), now: T0 + 1 });
      const refill = await ctx.store.dispatchRows({ jobId: job.id, maxInFlight: 3, limit: 10, now: T0 + 1 });
      expect(refill.map((d) => d.rowId)).toEqual(['x40']);
      expect(await ctx.store.getRow(job.id, 'x40')).toMatchObject({ status: 'queued', dispatched: true, dispatchSeq: refill[0]!.dispatchSeq });
    });

    it('names a new task generation on every dispatch and never schedules it in the past', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 1 });
      const [first] = await ctx.store.dispatchRows({ jobId, maxInFlight: 5, limit: 5, now: T0 + 100 });
      expect(first!.nextAttemptAt).toBeGreaterThanOrEqual(T0 + 100);
      expect(await ctx.store.undispatchStale(jobId, T0 + 1_000_000)).toBe(1);
      const [second] = await ctx.store.dispatchRows({ jobId, maxInFlight: 5, limit: 5, now: T0 + 200 });
      expect(second!.rowId).toBe(first!.rowId);
      expect(second!.dispatchSeq).toBeGreaterThan(first!.dispatchSeq);
      expect(second!.nextAttemptAt).toBeGreaterThanOrEqual(T0 + 200);
      const stale = await ctx.store.claimRow({ jobId, rowId: first!.rowId, dispatchSeq: first!.dispatchSeq, now: T0 + 300, leaseMs: LEASE_MS, reserveUsd: 0 });
      expect(stale).toEqual({ ok: false, reason: 'not_claimable' });
    });

    it('gives nothing to a job that is not running', async () => {
      const job = newJob();
      await ctx.store.createJob(job, T0);
      await ctx.store.addRows(job.id, [{ rowId: 'a', rowNumber: 1, inputs: {}, inputHash: 'h' }]);
      expect(await ctx.store.dispatchRows({ jobId: job.id, maxInFlight: 5, limit: 5, now: T0 })).toEqual([]);
      expect(await ctx.store.dispatchRows({ jobId: 'no-such-job', maxInFlight: 5, limit: 5, now: T0 })).toEqual([]);
      // The pump tops up from its one snapshot of the job: a job paused since is refused here, not by a second read.
      const paused = await startJob(ctx.store, { rows: 2 });
      await ctx.store.transitionJob(paused.jobId, { to: 'paused', from: ['running'], pauseReason: 'budget', now: T0 + 1 });
      expect(await ctx.store.dispatchRows({ jobId: paused.jobId, maxInFlight: 5, limit: 5, now: T0 + 2 })).toEqual([]);
    });
  });

  describe('claimRow', () => {
    it('leases a dispatched row, counts the attempt and reserves its worst-case cost', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 3, budgetUsd: 1 });
      const [slot] = await ctx.store.dispatchRows({ jobId, maxInFlight: 5, limit: 1, now: T0 });
      const claim = await ctx.store.claimRow({ jobId, rowId: slot!.rowId, dispatchSeq: slot!.dispatchSeq, now: T0 + 5, leaseMs: 30_000, reserveUsd: 0.25 });
      if (!claim.ok) throw new Error(`claim refused: ${claim.reason}`);
      expect(claim.row).toMatchObject({ rowId: 'r1', status: 'running', attempt: 1, leaseUntil: T0 + 5 + 30_000, reservedUsd: 0.25 });
      expect(await ctx.store.getRow(jobId, 'r1')).toEqual(claim.row);
      expect(await ctx.store.counts(jobId)).toMatchObject({ queued: 2, running: 1, reservedUsd: 0.25, spentUsd: 0 });
    });

    it('refuses rows that are not this task’s to run: wrong generation, undispatched, already running, finished, unknown', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 4 });
      const slots = await ctx.store.dispatchRows({ jobId, maxInFlight: 5, limit: 2, now: T0 });
      const [a, b] = slots;
      const claim = (rowId: string, dispatchSeq: number) => ctx.store.claimRow({ jobId, rowId, dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd: 0.01 });
      const notClaimable = { ok: false, reason: 'not_claimable' };

      expect(await claim(a!.rowId, a!.dispatchSeq + 1)).toEqual(notClaimable);
      expect(await claim('r4', 0)).toEqual(notClaimable);
      expect(await claim('r4', 1)).toEqual(notClaimable);
      expect(await claim('no-such-row', 1)).toEqual(notClaimable);

      const won = await claim(a!.rowId, a!.dispatchSeq);
      if (!won.ok) throw new Error('claim refused');
      expect(await claim(a!.rowId, a!.dispatchSeq)).toEqual(notClaimable);
      await ctx.store.finishRow({ jobId, rowId: a!.rowId, leaseToken: won.leaseToken, outcome: done(0.01), now: T0 + 1 });
      expect(await claim(a!.rowId, a!.dispatchSeq)).toEqual(notClaimable);
      expect(await claim(b!.rowId, b!.dispatchSeq)).toMatchObject({ ok: true });
      expect(await ctx.store.counts(jobId)).toMatchObject({ running: 1, done: 1, queued: 2 });
    });

    it('answers job_not_running when the job is not running', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 1 });
      const [slot] = await ctx.store.dispatchRows({ jobId, maxInFlight: 5, limit: 1, now: T0 });
      await ctx.store.transitionJob(jobId, { to: 'paused', from: ['running'], pauseReason: 'user', now: T0 + 1 });
      const claim = await ctx.store.claimRow({ jobId, rowId: slot!.rowId, dispatchSeq: slot!.dispatchSeq, now: T0 + 2, leaseMs: LEASE_MS, reserveUsd: 0 });
      expect(claim).toEqual({ ok: false, reason: 'job_not_running' });
    });

    it('answers not_yet with the retry time when the row’s next attempt has not come', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 1 });
      const first = await claimNext(ctx.store, jobId);
      await ctx.store.finishRow({ jobId, rowId: 'r1', leaseToken: first.leaseToken, outcome: retry(T0 + 10_000), now: T0 + 1 });
      const row = await ctx.store.getRow(jobId, 'r1');
      const early = await ctx.store.claimRow({ jobId, rowId: 'r1', dispatchSeq: row!.dispatchSeq, now: T0 + 9_999, leaseMs: LEASE_MS, reserveUsd: 0 });
      expect(early).toEqual({ ok: false, reason: 'not_yet', retryAt: T0 + 10_000 });
      expect(await ctx.store.getRow(jobId, 'r1')).toEqual(row);
    });

    it('refuses a reservation that would take spent + reserved over the budget, and changes nothing', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 3, budgetUsd: 0.3 });
      const slots = await ctx.store.dispatchRows({ jobId, maxInFlight: 5, limit: 3, now: T0 });
      const claim = (i: number, reserveUsd: number) =>
        ctx.store.claimRow({ jobId, rowId: slots[i]!.rowId, dispatchSeq: slots[i]!.dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd });

      const first = await claim(0, 0.1);
      if (!first.ok) throw new Error('claim refused');
      await ctx.store.finishRow({ jobId, rowId: first.row.rowId, leaseToken: first.leaseToken, outcome: done(0.1), now: T0 });
      expect(await claim(1, 0.1)).toMatchObject({ ok: true });
      const before = await ctx.store.getRow(jobId, slots[2]!.rowId);
      expect(await claim(2, 0.100000001)).toEqual({ ok: false, reason: 'budget' });
      expect(await ctx.store.getRow(jobId, slots[2]!.rowId)).toEqual(before);
      expect(await ctx.store.counts(jobId)).toMatchObject({ spentUsd: 0.1, reservedUsd: 0.1, running: 1 });
      // 0.1 + 0.1 + 0.1 is exactly the budget of 0.3: allowed, with no float drift.
      expect(await claim(2, 0.1)).toMatchObject({ ok: true });
      expect(await ctx.store.counts(jobId)).toMatchObject({ spentUsd: 0.1, reservedUsd: 0.2 });
    });

    it('admits any reservation when the job has no budget', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 1, budgetUsd: null });
      const claim = await claimNext(ctx.store, jobId, { reserveUsd: 1_000_000 });
      expect(claim.row.reservedUsd).toBe(1_000_000);
    });
  });

  describe('finishRow', () => {
    it('done records outputs, usage and cost, releases the reservation and frees the slot', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 2, budgetUsd: 1 });
      const claim = await claimNext(ctx.store, jobId, { reserveUsd: 0.3 });
      const ok = await ctx.store.finishRow({ jobId, rowId: 'r1', leaseToken: claim.leaseToken, outcome: done(0.12, { Industry: 'Retail' }, true), now: T0 + 50 });
      expect(ok).toBe(true);
      expect(await ctx.store.getRow(jobId, 'r1')).toMatchObject({
        status: 'done', dispatched: false, leaseUntil: null, reservedUsd: 0, outputs: { Industry: 'Retail' }, cached: true,
        usage: USAGE, costUsd: 0.12, flushed: false, finishedAt: T0 + 50, errorClass: null,
      });
      expect(await ctx.store.counts(jobId)).toMatchObject({ queued: 1, running: 0, done: 1, cached: 1, spentUsd: 0.12, reservedUsd: 0 });
      expect(await ctx.store.dispatchRows({ jobId, maxInFlight: 1, limit: 1, now: T0 + 51 })).toHaveLength(1);
    });

    it('failed records the error and counts it by class', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 2 });
      const claim = await claimNext(ctx.store, jobId);
      await ctx.store.finishRow({ jobId, rowId: 'r1', leaseToken: claim.leaseToken, outcome: failed(0.02, 'content_filter'), now: T0 + 9 });
      expect(await ctx.store.getRow(jobId, 'r1')).toMatchObject({
        status: 'failed', dispatched: false, errorClass: 'content_filter', errorMessage: 'content_filter happened', costUsd: 0.02, finishedAt: T0 + 9,
      });
      expect(await ctx.store.counts(jobId)).toMatchObject({ failed: 1, running: 0, errorsByClass: { content_filter: 1 }, spentUsd: 0.02, reservedUsd: 0 });
    });

    it('retry keeps the row’s window slot, counts the retry, and the same task claims it again when due', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 2 });
      const first = await claimNext(ctx.store, jobId, { reserveUsd: 0.2 });
      await ctx.store.finishRow({ jobId, rowId: 'r1', leaseToken: first.leaseToken, outcome: retry(T0 + 2_000, 0.01), now: T0 + 1 });
      const row = await ctx.store.getRow(jobId, 'r1');
      expect(row).toMatchObject({
        status: 'queued', dispatched: true, dispatchSeq: first.row.dispatchSeq, attempt: 1, nextAttemptAt: T0 + 2_000,
        errorClass: 'rate_limit', errorMessage: '429 slow down', reservedUsd: 0, costUsd: 0.01, leaseUntil: null,
      });
      const counts = await ctx.store.counts(jobId);
      expect(counts).toMatchObject({ queued: 2, running: 0, reservedUsd: 0, spentUsd: 0.01 });
      expect(counts.retriesByClass).toEqual({ rate_limit: 1 });
      expect(counts.errorsByClass).toEqual({});
      // Its slot is still held: a window of one has no room.
      expect(await ctx.store.dispatchRows({ jobId, maxInFlight: 1, limit: 1, now: T0 + 1 })).toEqual([]);

      const again = await ctx.store.claimRow({ jobId, rowId: 'r1', dispatchSeq: first.row.dispatchSeq, now: T0 + 2_000, leaseMs: LEASE_MS, reserveUsd: 0.2 });
      if (!again.ok) throw new Error(`claim refused: ${again.reason}`);
      expect(again.row.attempt).toBe(2);
      expect(again.leaseToken).not.toBe(first.leaseToken);
      await ctx.store.finishRow({ jobId, rowId: 'r1', leaseToken: again.leaseToken, outcome: done(0.05), now: T0 + 2_001 });
      expect(await ctx.store.getRow(jobId, 'r1')).toMatchObject({
        status: 'done', attempt: 2, costUsd: 0.06,
        usage: { inputTokens: 2 * USAGE.inputTokens, cachedInputTokens: 2 * USAGE.cachedInputTokens, outputTokens: 2 * USAGE.outputTokens },
      });
      expect(await ctx.store.counts(jobId)).toMatchObject({ done: 1, spentUsd: 0.06, retriesByClass: { rate_limit: 1 } });
    });

    it('release returns the row to the queue without a slot and without counting the attempt', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 1 });
      const claim = await claimNext(ctx.store, jobId, { reserveUsd: 0.2 });
      await ctx.store.finishRow({ jobId, rowId: 'r1', leaseToken: claim.leaseToken, outcome: release(0.003), now: T0 + 1 });
      expect(await ctx.store.getRow(jobId, 'r1')).toMatchObject({ status: 'queued', dispatched: false, attempt: 0, reservedUsd: 0, costUsd: 0.003 });
      expect(await ctx.store.counts(jobId)).toMatchObject({ queued: 1, running: 0, reservedUsd: 0, spentUsd: 0.003 });
      expect(await ctx.store.dispatchRows({ jobId, maxInFlight: 1, limit: 1, now: T0 + 2 })).toHaveLength(1);
    });

    it('a finish with a stale lease token changes nothing', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 1 });
      const old = await claimNext(ctx.store, jobId, { reserveUsd: 0.1 });
      await ctx.store.expireLeases(jobId, Number.POSITIVE_INFINITY);
      const current = await claimNext(ctx.store, jobId, { now: T0 + 10, reserveUsd: 0.1 });
      const rowBefore = await ctx.store.getRow(jobId, 'r1');
      const countsBefore = await ctx.store.counts(jobId);

      expect(await ctx.store.finishRow({ jobId, rowId: 'r1', leaseToken: old.leaseToken, outcome: done(0.5), now: T0 + 11 })).toBe(false);
      expect(await ctx.store.finishRow({ jobId, rowId: 'r1', leaseToken: old.leaseToken, outcome: failed(0.5), now: T0 + 11 })).toBe(false);
      expect(await ctx.store.getRow(jobId, 'r1')).toEqual(rowBefore);
      expect(await ctx.store.counts(jobId)).toEqual(countsBefore);

      expect(await ctx.store.finishRow({ jobId, rowId: 'r1', leaseToken: current.leaseToken, outcome: done(0.05), now: T0 + 12 })).toBe(true);
      // The same lease cannot finish twice.
      expect(await ctx.store.finishRow({ jobId, rowId: 'r1', leaseToken: current.leaseToken, outcome: done(0.05), now: T0 + 13 })).toBe(false);
      expect(await ctx.store.counts(jobId)).toMatchObject({ done: 1, spentUsd: 0.15 });
    });

    it('keeps money exact: thirty costs of 0.1 add up to exactly 3', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 30, budgetUsd: 3 });
      for (let i = 0; i < 30; i++) {
        const claim = await claimNext(ctx.store, jobId, { reserveUsd: 0.1 });
        await ctx.store.finishRow({ jobId, rowId: claim.row.rowId, leaseToken: claim.leaseToken, outcome: done(0.1), now: T0 + i });
      }
      expect(await ctx.store.counts(jobId)).toMatchObject({ done: 30, spentUsd: 3, reservedUsd: 0 });
    });
  });
}
