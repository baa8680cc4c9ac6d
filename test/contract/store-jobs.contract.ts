// Store contract, jobs: creating, listing, adding rows, and moving a job between states.
import { describe, expect, it } from 'vitest';
import type { HarnessContext } from './helpers/store-harness.js';
import { CONFIG, LEASE_MS, T0, claimNext, done, newJob, newRows, release, retry, startJob, uniqueId } from './helpers/store-fixtures.js';

export function describeJobContract(ctx: HarnessContext): void {
  describe('jobs', () => {
    it('createJob stores a preparing job with every given field and nothing spent', async () => {
      const target = { kind: 'file', source: '/data/in.xlsx', out: '/data/out.xlsx', sheet: 'Brands', rows: '2-9', limit: 5, search: 'simulated', replace: ['Website'] } as const;
      const job = newJob({ budgetUsd: 2.5, simulated: true, target });
      await ctx.store.createJob(job, T0 + 5);
      const stored = await ctx.store.getJob(job.id);
      expect(stored).toMatchObject({
        id: job.id,
        owner: job.owner,
        target,
        config: CONFIG,
        configHash: job.configHash,
        status: 'preparing',
        pauseReason: null,
        message: null,
        budgetUsd: 2.5,
        createdAt: T0,
        updatedAt: T0 + 5,
        finishedAt: null,
        simulated: true,
      });
      // How far its rows got is counts()' answer alone: reading a job sums no counters.
      for (const counter of ['spentUsd', 'reservedUsd', 'totalRows']) expect(stored).not.toHaveProperty(counter);
      const counts = await ctx.store.counts(job.id);
      expect(counts).toEqual({
        total: 0, queued: 0, running: 0, done: 0, cached: 0, failed: 0, skipped: 0, cancelled: 0,
        errorsByClass: {}, retriesByClass: {}, spentUsd: 0, reservedUsd: 0,
      });
    });

    it('createJob keeps a null budget as no cap', async () => {
      const job = newJob({ budgetUsd: null });
      await ctx.store.createJob(job, T0);
      expect((await ctx.store.getJob(job.id))?.budgetUsd).toBeNull();
    });

    it('createJob refuses an id that already exists and keeps the first job', async () => {
      const job = newJob();
      await ctx.store.createJob(job, T0);
      await expect(ctx.store.createJob({ ...job, owner: 'intruder@example.com' }, T0)).rejects.toThrow(job.id);
      expect((await ctx.store.getJob(job.id))?.owner).toBe(job.owner);
    });

    it('getJob answers undefined for an unknown job, and counts refuses one', async () => {
      expect(await ctx.store.getJob('no-such-job')).toBeUndefined();
      await expect(ctx.store.counts('no-such-job')).rejects.toThrow('no-such-job');
    });

    it('createJob keeps a sheet target, titles included', async () => {
      const target = { kind: 'sheet', spreadsheetId: uniqueId('ss'), sheetId: 7, spreadsheetTitle: 'Leads', sheetTitle: 'Q3' } as const;
      const job = newJob({ target });
      await ctx.store.createJob(job, T0);
      expect((await ctx.store.getJob(job.id))?.target).toEqual(target);
    });

    it("listJobs returns one sheet's jobs newest first and honours the limit", async () => {
      const spreadsheetId = uniqueId('ss');
      const target = { kind: 'sheet', spreadsheetId, sheetId: 3, spreadsheetTitle: 'Leads', sheetTitle: 'Q3' } as const;
      const older = newJob({ target, createdAt: T0 });
      const newest = newJob({ target, createdAt: T0 + 2_000 });
      const middle = newJob({ target, createdAt: T0 + 1_000 });
      const elsewhere = newJob({ createdAt: T0 + 5_000 });
      const otherTab = newJob({ target: { ...target, sheetId: 4 }, createdAt: T0 + 6_000 });
      for (const job of [older, newest, middle, elsewhere, otherTab]) await ctx.store.createJob(job, job.createdAt);

      // A tab is found by its ids alone: the titles are not part of the key.
      const tab = { kind: 'sheet', spreadsheetId, sheetId: 3 } as const;
      expect((await ctx.store.listJobs({ target: tab })).map((j) => j.id)).toEqual([newest.id, middle.id, older.id]);
      expect((await ctx.store.listJobs({ target: tab, limit: 2 })).map((j) => j.id)).toEqual([newest.id, middle.id]);
      const all = (await ctx.store.listJobs()).map((j) => j.id);
      expect(all).toEqual(expect.arrayContaining([older.id, newest.id, middle.id, elsewhere.id]));
      expect(all.indexOf(elsewhere.id)).toBeLessThan(all.indexOf(newest.id));
    });
  });

  describe('addRows', () => {
    it('stores rows and counts skipped and submit-time failed rows as already finished', async () => {
      const job = newJob();
      await ctx.store.createJob(job, T0);
      await ctx.store.addRows(job.id, newRows(3));
      await ctx.store.addRows(job.id, [
        { rowId: 's1', rowNumber: 10, inputs: { Brand: 'S' }, inputHash: 'hs1', status: 'skipped', outputs: { Industry: 'Old' } },
        { rowId: 's2', rowNumber: 11, inputs: { Brand: 'S2' }, inputHash: 'hs2', status: 'skipped', outputs: { Industry: 'Older' } },
        { rowId: 'f1', rowNumber: 12, inputs: { Brand: '' }, inputHash: 'hf1', status: 'failed', errorClass: 'input_invalid', errorMessage: 'Brand is empty' },
      ]);

      const counts = await ctx.store.counts(job.id);
      expect(counts).toMatchObject({ total: 6, queued: 3, running: 0, done: 0, skipped: 2, failed: 1, errorsByClass: { input_invalid: 1 } });

      expect(await ctx.store.getRow(job.id, 'r2')).toMatchObject({
        jobId: job.id, rowId: 'r2', rowNumber: 2, inputs: { Brand: 'Brand 2', Website: 'https://b2.example' }, inputHash: 'h2',
        status: 'queued', dispatched: false, attempt: 0, leaseUntil: null, reservedUsd: 0, outputs: null, cached: false,
        errorClass: null, errorMessage: null, usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 }, costUsd: 0, flushed: false,
        finishedAt: null,
      });
      expect(await ctx.store.getRow(job.id, 's1')).toMatchObject({ status: 'skipped', outputs: { Industry: 'Old' } });
      expect(await ctx.store.getRow(job.id, 'f1')).toMatchObject({ status: 'failed', errorClass: 'input_invalid', errorMessage: 'Brand is empty' });
      expect(await ctx.store.getRow(job.id, 'nope')).toBeUndefined();
    });

    it('rejects a duplicate row id and adds nothing from that batch', async () => {
      const job = newJob();
      await ctx.store.createJob(job, T0);
      await ctx.store.addRows(job.id, newRows(2));
      await expect(ctx.store.addRows(job.id, [...newRows(2, 3), ...newRows(1, 2)])).rejects.toThrow('r2');
      await expect(ctx.store.addRows(job.id, [...newRows(1, 7), ...newRows(1, 7)])).rejects.toThrow('r7');
      expect(await ctx.store.counts(job.id)).toMatchObject({ total: 2, queued: 2 });
      expect(await ctx.store.getRow(job.id, 'r3')).toBeUndefined();
      expect(await ctx.store.getRow(job.id, 'r7')).toBeUndefined();
    });

    it('refuses rows for a job that is no longer preparing, or does not exist', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 1 });
      await expect(ctx.store.addRows(jobId, newRows(1, 2))).rejects.toThrow(jobId);
      await expect(ctx.store.addRows('no-such-job', newRows(1))).rejects.toThrow('no-such-job');
      expect((await ctx.store.counts(jobId)).total).toBe(1);
    });
  });

  describe('transitionJob', () => {
    it('moves only from the listed states and otherwise answers undefined, changing nothing', async () => {
      const job = newJob();
      await ctx.store.createJob(job, T0);
      expect(await ctx.store.transitionJob(job.id, { to: 'paused', from: ['running'], pauseReason: 'user', now: T0 + 1 })).toBeUndefined();
      expect(await ctx.store.getJob(job.id)).toMatchObject({ status: 'preparing', pauseReason: null, updatedAt: T0 });
      expect(await ctx.store.transitionJob('no-such-job', { to: 'running', from: ['preparing'], now: T0 })).toBeUndefined();
    });

    it('entering running sets runningSince; a pause records its reason and message; a resume can raise the budget', async () => {
      const job = newJob({ budgetUsd: 1 });
      await ctx.store.createJob(job, T0);
      const started = await ctx.store.transitionJob(job.id, { to: 'running', from: ['preparing'], now: T0 + 10 });
      expect(started).toMatchObject({ status: 'running', runningSince: T0 + 10, updatedAt: T0 + 10, finishedAt: null });

      const paused = await ctx.store.transitionJob(job.id, { to: 'paused', from: ['running'], pauseReason: 'budget', message: 'budget reached', now: T0 + 20 });
      expect(paused).toMatchObject({ status: 'paused', pauseReason: 'budget', message: 'budget reached', runningSince: T0 + 10, updatedAt: T0 + 20 });

      const resumed = await ctx.store.transitionJob(job.id, { to: 'running', from: ['paused'], budgetUsd: 3, now: T0 + 30 });
      expect(resumed).toMatchObject({ status: 'running', pauseReason: null, budgetUsd: 3, runningSince: T0 + 30 });
      expect(await ctx.store.getJob(job.id)).toEqual(resumed);
    });

    it('a resume may lift the budget cap entirely', async () => {
      const { jobId } = await startJob(ctx.store, { budgetUsd: 0.01 });
      await ctx.store.transitionJob(jobId, { to: 'paused', from: ['running'], pauseReason: 'budget', now: T0 + 1 });
      const resumed = await ctx.store.transitionJob(jobId, { to: 'running', from: ['paused'], budgetUsd: null, now: T0 + 2 });
      expect(resumed?.budgetUsd).toBeNull();
      await expect(claimNext(ctx.store, jobId, { reserveUsd: 1_000 })).resolves.toMatchObject({ ok: true });
    });

    it('completed sets finishedAt', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 0 });
      const completed = await ctx.store.transitionJob(jobId, { to: 'completed', from: ['running'], now: T0 + 99 });
      expect(completed).toMatchObject({ status: 'completed', finishedAt: T0 + 99 });
    });

    it('leaving running undispatches queued rows, so their tasks claim nothing even after a resume', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 4 });
      const slots = await ctx.store.dispatchRows({ jobId, maxInFlight: 10, limit: 3, now: T0 });
      const [first, second] = slots;
      const claim = await ctx.store.claimRow({ jobId, rowId: first!.rowId, dispatchSeq: first!.dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd: 0.1 });
      expect(claim.ok).toBe(true);

      await ctx.store.transitionJob(jobId, { to: 'paused', from: ['running'], pauseReason: 'user', now: T0 + 1 });
      expect(await ctx.store.getRow(jobId, second!.rowId)).toMatchObject({ status: 'queued', dispatched: false });
      expect(await ctx.store.getRow(jobId, first!.rowId)).toMatchObject({ status: 'running' });
      const whilePaused = await ctx.store.claimRow({ jobId, rowId: second!.rowId, dispatchSeq: second!.dispatchSeq, now: T0 + 2, leaseMs: LEASE_MS, reserveUsd: 0.1 });
      expect(whilePaused).toEqual({ ok: false, reason: 'job_not_running' });

      await ctx.store.transitionJob(jobId, { to: 'running', from: ['paused'], now: T0 + 3 });
      const afterResume = await ctx.store.claimRow({ jobId, rowId: second!.rowId, dispatchSeq: second!.dispatchSeq, now: T0 + 4, leaseMs: LEASE_MS, reserveUsd: 0.1 });
      expect(afterResume).toEqual({ ok: false, reason: 'not_claimable' });
      expect(await ctx.store.counts(jobId)).toMatchObject({ queued: 3, running: 1 });
      // The freed slots are given out again: 1 running + 2 fresh dispatches fill a window of 3.
      expect(await ctx.store.dispatchRows({ jobId, maxInFlight: 3, limit: 10, now: T0 + 5 })).toHaveLength(2);
    });

    it('a row retried after its job paused waits in the queue without a window slot', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 2 });
      const claim = await claimNext(ctx.store, jobId);
      await ctx.store.transitionJob(jobId, { to: 'paused', from: ['running'], pauseReason: 'quota', now: T0 + 1 });
      const finished = await ctx.store.finishRow({ jobId, rowId: claim.row.rowId, leaseToken: claim.leaseToken, outcome: retry(T0 + 5_000), now: T0 + 2 });
      expect(finished).toBe(true);
      expect(await ctx.store.getRow(jobId, claim.row.rowId)).toMatchObject({ status: 'queued', dispatched: false, nextAttemptAt: T0 + 5_000 });
      await ctx.store.transitionJob(jobId, { to: 'running', from: ['paused'], now: T0 + 3 });
      expect(await ctx.store.dispatchRows({ jobId, maxInFlight: 2, limit: 2, now: T0 + 4 })).toHaveLength(2);
    });

    it('entering cancelled cancels queued rows; running rows keep running and finish normally', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 4, budgetUsd: 5 });
      await ctx.store.dispatchRows({ jobId, maxInFlight: 2, limit: 2, now: T0 });
      const row = await ctx.store.getRow(jobId, 'r1');
      const claim = await ctx.store.claimRow({ jobId, rowId: 'r1', dispatchSeq: row!.dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd: 0.5 });
      if (!claim.ok) throw new Error('claim refused');

      const cancelled = await ctx.store.transitionJob(jobId, { to: 'cancelled', from: ['running', 'paused'], now: T0 + 10 });
      expect(cancelled).toMatchObject({ status: 'cancelled', finishedAt: T0 + 10 });
      expect(await ctx.store.counts(jobId)).toMatchObject({ queued: 0, running: 1, cancelled: 3, reservedUsd: 0.5 });
      expect(await ctx.store.getRow(jobId, 'r2')).toMatchObject({ status: 'cancelled', dispatched: false });
      expect(await ctx.store.dispatchRows({ jobId, maxInFlight: 10, limit: 10, now: T0 + 11 })).toEqual([]);

      expect(await ctx.store.finishRow({ jobId, rowId: 'r1', leaseToken: claim.leaseToken, outcome: done(0.2), now: T0 + 12 })).toBe(true);
      expect(await ctx.store.counts(jobId)).toMatchObject({ running: 0, done: 1, cancelled: 3, spentUsd: 0.2, reservedUsd: 0 });
    });

    it('a row released or retried after its job was cancelled ends cancelled, not queued', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 2 });
      const a = await claimNext(ctx.store, jobId);
      const b = await claimNext(ctx.store, jobId);
      await ctx.store.transitionJob(jobId, { to: 'cancelled', from: ['running'], now: T0 + 1 });
      await ctx.store.finishRow({ jobId, rowId: a.row.rowId, leaseToken: a.leaseToken, outcome: release(), now: T0 + 2 });
      await ctx.store.finishRow({ jobId, rowId: b.row.rowId, leaseToken: b.leaseToken, outcome: retry(T0 + 1_000), now: T0 + 2 });
      expect(await ctx.store.getRow(jobId, a.row.rowId)).toMatchObject({ status: 'cancelled', dispatched: false });
      expect(await ctx.store.getRow(jobId, b.row.rowId)).toMatchObject({ status: 'cancelled', dispatched: false });
      expect(await ctx.store.counts(jobId)).toMatchObject({ queued: 0, running: 0, cancelled: 2, reservedUsd: 0 });
    });
  });
}
