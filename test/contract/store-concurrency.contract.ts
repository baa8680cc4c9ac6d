// Store contract, under pressure: racing claims and finishes, budget contention, reopening after a crash, counter integrity.
import { describe, expect, it } from 'vitest';
import type { RowOutcome, Store } from '../../backend/src/ports/store.js';
import type { HarnessContext } from './helpers/store-harness.js';
import { allRows, expectCountersMatchRows } from './helpers/store-invariants.js';
import { LEASE_MS, T0, claimNext, done, failed, release, retry, rememberRegistry, seededRandom, startJob } from './helpers/store-fixtures.js';

/** The store plus, where the adapter can, a second instance on the same data: races then cross instances. */
async function instances(ctx: HarnessContext): Promise<Store[]> {
  return ctx.harness.reopen ? [ctx.store, await ctx.harness.reopen()] : [ctx.store];
}

export function describeConcurrencyContract(ctx: HarnessContext): void {
  describe('concurrency', () => {
    it('50 concurrent claims of one row have exactly one winner', async () => {
      const stores = await instances(ctx);
      const { jobId } = await startJob(ctx.store, { rows: 1, budgetUsd: 10 });
      const [slot] = await ctx.store.dispatchRows({ jobId, maxInFlight: 1, limit: 1, now: T0 });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          stores[i % stores.length]!.claimRow({ jobId, rowId: slot!.rowId, dispatchSeq: slot!.dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd: 0.1 }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'not_claimable')).toHaveLength(49);
      expect(await ctx.store.counts(jobId)).toMatchObject({ running: 1, queued: 0, reservedUsd: 0.1 });
      expect(await ctx.store.getRow(jobId, slot!.rowId)).toMatchObject({ attempt: 1 });
    });

    it('200 concurrent reservations against one budget admit exactly floor(budget / reserve), never more', async () => {
      const stores = await instances(ctx);
      // 0.73 / 0.01 is 72.99999999999999 in floating point; the store must still admit exactly 73.
      const { jobId } = await startJob(ctx.store, { rows: 200, budgetUsd: 0.73 });
      const slots = await ctx.store.dispatchRows({ jobId, maxInFlight: 200, limit: 200, now: T0 });
      expect(slots).toHaveLength(200);
      const results = await Promise.all(
        slots.map((slot, i) =>
          stores[i % stores.length]!.claimRow({ jobId, rowId: slot.rowId, dispatchSeq: slot.dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd: 0.01 }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(73);
      expect(results.filter((r) => !r.ok && r.reason === 'budget')).toHaveLength(127);
      expect(await ctx.store.counts(jobId)).toMatchObject({ reservedUsd: 0.73, spentUsd: 0 });
    });

    it('concurrent finishes of one lease apply exactly once', async () => {
      const stores = await instances(ctx);
      const { jobId } = await startJob(ctx.store, { rows: 1 });
      const claim = await claimNext(ctx.store, jobId, { reserveUsd: 0.2 });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          stores[i % stores.length]!.finishRow({ jobId, rowId: claim.row.rowId, leaseToken: claim.leaseToken, outcome: done(0.1), now: T0 + 1 }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await ctx.store.counts(jobId)).toMatchObject({ done: 1, running: 0, spentUsd: 0.1, reservedUsd: 0 });
    });
  });

  describe('crashes', () => {
    it('a reopened store sees every job, row, cache and registry entry written before', async ({ skip }) => {
      if (!ctx.harness.reopen) return skip('this adapter has no second instance to reopen with');
      const { jobId, sheetKey } = await startJob(ctx.store, { rows: 3, budgetUsd: 2 });
      const finished = await claimNext(ctx.store, jobId, { reserveUsd: 0.5 });
      await ctx.store.finishRow({ jobId, rowId: finished.row.rowId, leaseToken: finished.leaseToken, outcome: done(0.25), now: T0 + 1 });
      const running = await claimNext(ctx.store, jobId, { reserveUsd: 0.5 });
      await ctx.store.putCache('k-reopen', { outputs: { Industry: 'Retail' }, expiresAt: T0 + 10_000 });
      await rememberRegistry(ctx.store, [{ sheetKey, rowId: 'r1', inputHash: 'h1', configHash: 'c', outputs: { Industry: 'Retail' }, updatedAt: T0 }]);

      const reopened = await ctx.harness.reopen();
      expect(await reopened.getJob(jobId)).toEqual(await ctx.store.getJob(jobId));
      expect(await reopened.counts(jobId)).toEqual(await ctx.store.counts(jobId));
      expect(await allRows(reopened, jobId)).toEqual(await allRows(ctx.store, jobId));
      expect(await reopened.getCache('k-reopen', T0)).toEqual({ outputs: { Industry: 'Retail' }, expiresAt: T0 + 10_000 });
      expect((await reopened.getRegistry(sheetKey, ['r1'])).get('r1')?.inputHash).toBe('h1');
      // The reopened instance can carry on where the first left off.
      expect(await reopened.finishRow({ jobId, rowId: running.row.rowId, leaseToken: running.leaseToken, outcome: done(0.25), now: T0 + 2 })).toBe(true);
      expect(await ctx.store.counts(jobId)).toMatchObject({ done: 2, spentUsd: 0.5, reservedUsd: 0 });
    });

    it('after a crash, expiring the dead leases turns their reservations into spend and frees the rows', async ({ skip }) => {
      if (!ctx.harness.reopen) return skip('this adapter has no second instance to reopen with');
      const { jobId } = await startJob(ctx.store, { rows: 4, budgetUsd: 1 });
      const orphans = [await claimNext(ctx.store, jobId, { reserveUsd: 0.3 }), await claimNext(ctx.store, jobId, { reserveUsd: 0.3 })];

      // The first instance "dies" with two rows running; a restart recovers them.
      const restarted = await ctx.harness.reopen();
      expect(await restarted.expireLeases(jobId, Number.POSITIVE_INFINITY)).toBe(2);
      expect(await restarted.counts(jobId)).toMatchObject({ queued: 4, running: 0, spentUsd: 0.6, reservedUsd: 0 });
      for (const orphan of orphans) {
        expect(await restarted.finishRow({ jobId, rowId: orphan.row.rowId, leaseToken: orphan.leaseToken, outcome: done(0.1), now: T0 + 5 })).toBe(false);
      }
      // Only 0.4 of the budget is left: one more 0.3 reservation fits, a second does not.
      const slots = await restarted.dispatchRows({ jobId, maxInFlight: 4, limit: 4, now: T0 + 6 });
      const claims = [];
      for (const slot of slots) {
        claims.push(await restarted.claimRow({ jobId, rowId: slot.rowId, dispatchSeq: slot.dispatchSeq, now: T0 + 6, leaseMs: LEASE_MS, reserveUsd: 0.3 }));
      }
      expect(claims.map((c) => (c.ok ? 'ok' : c.reason))).toEqual(['ok', 'budget', 'budget', 'budget']);
    });
  });

  describe('integrity', () => {
    it('counters always agree with the rows after a long random workload', async () => {
      const stores = await instances(ctx);
      const random = seededRandom(20240611);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const { jobId } = await startJob(ctx.store, { rows: 60, budgetUsd: 4 });
      const leases = new Map<string, { token: number; reserveUsd: number }>();
      const classes = ['output_invalid', 'invalid_request', 'content_filter'] as const;
      let now = T0;
      let status: 'running' | 'paused' = 'running';

      for (let step = 0; step < 600; step++) {
        now += 1 + Math.floor(random() * 50);
        const store = pick(stores);
        const action = random();
        if (action < 0.2) {
          await store.dispatchRows({ jobId, maxInFlight: 8, limit: 1 + Math.floor(random() * 4), now });
        } else if (action < 0.45) {
          const dispatched = (await store.listRows({ jobId, limit: 200, statuses: ['queued'] })).filter((r) => r.dispatched);
          if (dispatched.length === 0) continue;
          const row = pick(dispatched);
          const reserveUsd = pick([0.01, 0.05, 0.1]);
          const claim = await store.claimRow({ jobId, rowId: row.rowId, dispatchSeq: row.dispatchSeq, now, leaseMs: 500, reserveUsd });
          if (claim.ok) leases.set(row.rowId, { token: claim.leaseToken, reserveUsd });
        } else if (action < 0.75) {
          if (leases.size === 0) continue;
          const [rowId, { token, reserveUsd }] = pick([...leases.entries()]);
          // Costs stay within the reservation, as the engine guarantees by reserving the worst case.
          const cost = reserveUsd * pick([0, 0.3, 1]);
          const outcomes: RowOutcome[] = [done(cost, { Industry: 'x' }, random() < 0.3), failed(cost, pick(classes)), retry(now + pick([0, 100, 1_000]), cost), release(cost)];
          // Sometimes finish with a stale token, which must change nothing.
          const staleToken = random() < 0.1;
          await store.finishRow({ jobId, rowId, leaseToken: staleToken ? token - 1 : token, outcome: pick(outcomes), now });
          if (!staleToken) leases.delete(rowId);
        } else if (action < 0.82) {
          await store.expireLeases(jobId, now);
        } else if (action < 0.87) {
          await store.undispatchStale(jobId, now - 200);
        } else if (action < 0.9) {
          await store.requeueFailed(jobId);
        } else if (action < 0.95) {
          const to: 'running' | 'paused' = status === 'running' ? 'paused' : 'running';
          const moved = await store.transitionJob(jobId, { to, from: [status], pauseReason: to === 'paused' ? 'user' : null, now });
          if (moved) status = to;
        } else {
          const unflushed = await store.listRows({ jobId, limit: 5, unflushedOnly: true });
          await store.markFlushed(jobId, unflushed.map((r) => r.rowId));
        }
        if (step % 50 === 49) await expectCountersMatchRows(store, jobId);
      }
      await expectCountersMatchRows(ctx.store, jobId);
      const counts = await ctx.store.counts(jobId);
      expect(counts.spentUsd + counts.reservedUsd).toBeLessThanOrEqual(4);
    });
  });
}
