// Store contract, reading back: paging rows, the flush queue, the result cache and the skip-unchanged registry.
import { describe, expect, it } from 'vitest';
import type { HarnessContext } from './helpers/store-harness.js';
import { T0, claimNext, done, newJob, newRows, rememberRegistry, startJob, uniqueId } from './helpers/store-fixtures.js';

export function describeListingContract(ctx: HarnessContext): void {
  describe('listRows and markFlushed', () => {
    it('pages through rows in rowNumber order', async () => {
      const job = newJob();
      await ctx.store.createJob(job, T0);
      await ctx.store.addRows(job.id, [...newRows(5, 6), ...newRows(5, 1)]);
      const seen: number[] = [];
      let after: number | undefined;
      for (;;) {
        const page = await ctx.store.listRows({ jobId: job.id, afterRowNumber: after, limit: 3 });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(3);
        seen.push(...page.map((row) => row.rowNumber));
        after = page.at(-1)!.rowNumber;
      }
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await ctx.store.listRows({ jobId: 'no-such-job', limit: 10 })).toEqual([]);
    });

    it('filters by status', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 5 });
      const claim = await claimNext(ctx.store, jobId);
      await ctx.store.finishRow({ jobId, rowId: claim.row.rowId, leaseToken: claim.leaseToken, outcome: done(0.01), now: T0 + 1 });
      await claimNext(ctx.store, jobId);
      const byStatus = async (statuses: Array<'queued' | 'running' | 'done'>) =>
        (await ctx.store.listRows({ jobId, limit: 10, statuses })).map((row) => row.rowId);
      expect(await byStatus(['done'])).toEqual(['r1']);
      expect(await byStatus(['running', 'done'])).toEqual(['r1', 'r2']);
      expect(await byStatus(['queued'])).toEqual(['r3', 'r4', 'r5']);
      expect((await ctx.store.listRows({ jobId, limit: 10, statuses: ['queued'], afterRowNumber: 3 })).map((row) => row.rowId)).toEqual(['r4', 'r5']);
    });

    it('unflushedOnly lists finished rows not yet written to the sheet, until they are marked flushed', async () => {
      const job = newJob();
      await ctx.store.createJob(job, T0);
      await ctx.store.addRows(job.id, [
        ...newRows(3),
        { rowId: 'skip', rowNumber: 4, inputs: {}, inputHash: 'hs', status: 'skipped', outputs: { Industry: 'Old' } },
        { rowId: 'bad', rowNumber: 5, inputs: {}, inputHash: 'hb', status: 'failed', errorClass: 'input_invalid' },
      ]);
      await ctx.store.transitionJob(job.id, { to: 'running', from: ['preparing'], now: T0 });
      const claim = await claimNext(ctx.store, job.id);
      await ctx.store.finishRow({ jobId: job.id, rowId: 'r1', leaseToken: claim.leaseToken, outcome: done(0.01), now: T0 + 1 });
      await claimNext(ctx.store, job.id);
      const unflushed = async () => (await ctx.store.listRows({ jobId: job.id, limit: 100, unflushedOnly: true })).map((row) => row.rowId);

      expect(await unflushed()).toEqual(['r1', 'skip', 'bad']);
      expect((await ctx.store.listRows({ jobId: job.id, limit: 100, unflushedOnly: true, statuses: ['failed'] })).map((row) => row.rowId)).toEqual(['bad']);
      await ctx.store.markFlushed(job.id, ['r1', 'skip']);
      expect(await unflushed()).toEqual(['bad']);
      expect(await ctx.store.getRow(job.id, 'r1')).toMatchObject({ flushed: true });

      await ctx.store.transitionJob(job.id, { to: 'cancelled', from: ['running'], now: T0 + 2 });
      expect(await unflushed()).toEqual(['r3', 'bad']);
      await ctx.store.markFlushed(job.id, ['r3', 'bad', 'no-such-row']);
      expect(await unflushed()).toEqual([]);
    });

    it('a re-run row that finishes again is unflushed again', async () => {
      const { jobId } = await startJob(ctx.store, { rows: 1 });
      const first = await claimNext(ctx.store, jobId);
      await ctx.store.finishRow({ jobId, rowId: 'r1', leaseToken: first.leaseToken, outcome: { kind: 'failed', errorClass: 'server', message: 'boom', usage: first.row.usage, costUsd: 0 }, now: T0 + 1 });
      await ctx.store.markFlushed(jobId, ['r1']);
      await ctx.store.requeueFailed(jobId);
      const second = await claimNext(ctx.store, jobId, { now: T0 + 2 });
      await ctx.store.finishRow({ jobId, rowId: 'r1', leaseToken: second.leaseToken, outcome: done(0.01), now: T0 + 3 });
      expect((await ctx.store.listRows({ jobId, limit: 10, unflushedOnly: true })).map((row) => row.rowId)).toEqual(['r1']);
    });
  });

  describe('cache', () => {
    it('returns a stored entry until it expires, then misses', async () => {
      const key = uniqueId('cache');
      expect(await ctx.store.getCache(key, T0)).toBeUndefined();
      await ctx.store.putCache(key, { outputs: { Industry: 'Retail', Employees: 12, Public: false, Note: null }, expiresAt: T0 + 1_000 });
      expect(await ctx.store.getCache(key, T0 + 999)).toEqual({ outputs: { Industry: 'Retail', Employees: 12, Public: false, Note: null }, expiresAt: T0 + 1_000 });
      expect(await ctx.store.getCache(key, T0 + 1_000)).toBeUndefined();
      expect(await ctx.store.getCache(key, T0 + 5_000)).toBeUndefined();
    });

    it('replaces an entry stored under the same key', async () => {
      const key = uniqueId('cache');
      await ctx.store.putCache(key, { outputs: { Industry: 'Old' }, expiresAt: T0 + 10 });
      await ctx.store.putCache(key, { outputs: { Industry: 'New' }, expiresAt: T0 + 10_000 });
      expect(await ctx.store.getCache(key, T0 + 100)).toEqual({ outputs: { Industry: 'New' }, expiresAt: T0 + 10_000 });
    });
  });

  describe('registry', () => {
    it("remembers each row's last success per sheet, upserting by (sheetKey, rowId)", async () => {
      const sheetKey = uniqueId('sheet');
      const other = uniqueId('sheet');
      const entry = (rowId: string, inputHash: string, updatedAt: number, key = sheetKey) => ({
        sheetKey: key, rowId, inputHash, configHash: 'c1', outputs: { Industry: `for ${inputHash}` }, updatedAt,
      });
      await rememberRegistry(ctx.store, [entry('a', 'h1', T0), entry('b', 'h2', T0), entry('a', 'elsewhere', T0, other)]);
      await rememberRegistry(ctx.store, [entry('a', 'h3', T0 + 5)]);

      const found = await ctx.store.getRegistry(sheetKey, ['a', 'b', 'missing']);
      expect([...found.keys()].sort()).toEqual(['a', 'b']);
      expect(found.get('a')).toEqual(entry('a', 'h3', T0 + 5));
      expect(found.get('b')).toEqual(entry('b', 'h2', T0));
      expect((await ctx.store.getRegistry(other, ['a', 'b'])).get('a')).toEqual(entry('a', 'elsewhere', T0, other));
      expect((await ctx.store.getRegistry(sheetKey, [])).size).toBe(0);
    });
  });
}
