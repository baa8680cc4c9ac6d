// Store contract, single flight per cache key: one holder of many, lapsing holds, release, and finishRow's release with the answer.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../backend/src/ports/store.js';
import type { HarnessContext } from './helpers/store-harness.js';
import { T0, claimNext, done, failed, startJob, uniqueId } from './helpers/store-fixtures.js';

const HOLD_MS = 10_000;

async function instances(ctx: HarnessContext): Promise<Store[]> {
  return ctx.harness.reopen ? [ctx.store, await ctx.harness.reopen()] : [ctx.store];
}

export function describeCacheHoldContract(ctx: HarnessContext): void {
  describe('cache holds (single flight)', () => {
    it('50 holders racing for one free key: exactly one holds it, the others find it busy', async () => {
      const stores = await instances(ctx);
      const key = uniqueId('key');
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => stores[i % stores.length]!.holdCacheKey({ key, holder: `h${i}`, now: T0, holdMs: HOLD_MS })),
      );
      expect(results.filter((r) => r.kind === 'held')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'busy')).toHaveLength(49);
      expect(results.find((r) => r.kind === 'busy')).toEqual({ kind: 'busy', heldSince: T0, heldUntil: T0 + HOLD_MS });
    });

    it('a stored answer is handed out instead of a hold, unless it expires before minExpiresAt', async () => {
      const key = uniqueId('key');
      await ctx.store.putCache(key, { outputs: { Industry: 'Retail' }, expiresAt: T0 + 1_000 });
      expect(await ctx.store.holdCacheKey({ key, holder: 'a', now: T0, holdMs: HOLD_MS })).toEqual({
        kind: 'cached',
        entry: { outputs: { Industry: 'Retail' }, expiresAt: T0 + 1_000 },
      });
      expect(await ctx.store.holdCacheKey({ key, holder: 'a', now: T0, holdMs: HOLD_MS, minExpiresAt: T0 + 2_000 })).toEqual({ kind: 'held', until: T0 + HOLD_MS });
      // An expired answer is no answer either.
      const stale = uniqueId('key');
      await ctx.store.putCache(stale, { outputs: { Industry: 'Old' }, expiresAt: T0 + 5 });
      expect((await ctx.store.holdCacheKey({ key: stale, holder: 'a', now: T0 + 10, holdMs: HOLD_MS })).kind).toBe('held');
    });

    it('a hold lapses at its expiry, so a crashed holder blocks the key no longer; the same holder may renew it', async () => {
      const key = uniqueId('key');
      expect(await ctx.store.holdCacheKey({ key, holder: 'dead', now: T0, holdMs: HOLD_MS })).toEqual({ kind: 'held', until: T0 + HOLD_MS });
      expect((await ctx.store.holdCacheKey({ key, holder: 'dead', now: T0 + 5, holdMs: HOLD_MS })).kind).toBe('held');
      expect((await ctx.store.holdCacheKey({ key, holder: 'next', now: T0 + HOLD_MS, holdMs: HOLD_MS })).kind).toBe('busy');
      expect(await ctx.store.holdCacheKey({ key, holder: 'next', now: T0 + 5 + HOLD_MS, holdMs: HOLD_MS })).toEqual({ kind: 'held', until: T0 + 5 + 2 * HOLD_MS });
      // The lapsed holder no longer owns it: its release changes nothing.
      expect(await ctx.store.releaseCacheHold(key, 'dead')).toBe(false);
      expect((await ctx.store.holdCacheKey({ key, holder: 'third', now: T0 + 6 + HOLD_MS, holdMs: HOLD_MS })).kind).toBe('busy');
    });

    it('a released key is free for the next holder at once', async () => {
      const key = uniqueId('key');
      await ctx.store.holdCacheKey({ key, holder: 'first', now: T0, holdMs: HOLD_MS });
      expect(await ctx.store.releaseCacheHold(key, 'other')).toBe(false);
      expect(await ctx.store.releaseCacheHold(key, 'first')).toBe(true);
      expect(await ctx.store.releaseCacheHold(key, 'first')).toBe(false);
      expect((await ctx.store.holdCacheKey({ key, holder: 'second', now: T0 + 1, holdMs: HOLD_MS })).kind).toBe('held');
    });

    it("finishRow stores the holder's answer and releases its hold in the same step: waiters then find the answer", async () => {
      const key = uniqueId('key');
      const { jobId, sheetKey } = await startJob(ctx.store, { rows: 2 });
      expect((await ctx.store.holdCacheKey({ key, holder: 'row-1', now: T0, holdMs: HOLD_MS })).kind).toBe('held');
      const claim = await claimNext(ctx.store, jobId);
      expect((await ctx.store.holdCacheKey({ key, holder: 'row-2', now: T0 + 1, holdMs: HOLD_MS })).kind).toBe('busy');
      const outputs = { Industry: 'Retail' };
      const recorded = await ctx.store.finishRow({
        jobId,
        rowId: claim.row.rowId,
        leaseToken: claim.leaseToken,
        outcome: done(0.01, outputs),
        now: T0 + 2,
        remember: {
          cache: { key, entry: { outputs, expiresAt: T0 + 100_000 } },
          registry: { sheetKey, rowId: claim.row.rowId, inputHash: claim.row.inputHash, configHash: 'c1', outputs, updatedAt: T0 + 2 },
        },
        cacheHold: { key, holder: 'row-1' },
      });
      expect(recorded).toBe(true);
      expect(await ctx.store.holdCacheKey({ key, holder: 'row-2', now: T0 + 3, holdMs: HOLD_MS })).toEqual({ kind: 'cached', entry: { outputs, expiresAt: T0 + 100_000 } });
      expect(await ctx.store.releaseCacheHold(key, 'row-1')).toBe(false);
      expect((await ctx.store.getRegistry(sheetKey, [claim.row.rowId])).get(claim.row.rowId)?.outputs).toEqual(outputs);
    });

    it('a failed holder releases its hold with its outcome, so the next waiter takes the key', async () => {
      const key = uniqueId('key');
      const { jobId } = await startJob(ctx.store, { rows: 1 });
      await ctx.store.holdCacheKey({ key, holder: 'row-1', now: T0, holdMs: HOLD_MS });
      const claim = await claimNext(ctx.store, jobId);
      await ctx.store.finishRow({ jobId, rowId: claim.row.rowId, leaseToken: claim.leaseToken, outcome: failed(0), now: T0 + 1, cacheHold: { key, holder: 'row-1' } });
      expect(await ctx.store.holdCacheKey({ key, holder: 'row-2', now: T0 + 2, holdMs: HOLD_MS })).toEqual({ kind: 'held', until: T0 + 2 + HOLD_MS });
    });

    it("a finish whose hold was lost to another holder leaves that holder's hold alone", async () => {
      const key = uniqueId('key');
      const { jobId } = await startJob(ctx.store, { rows: 1 });
      await ctx.store.holdCacheKey({ key, holder: 'slow', now: T0, holdMs: 10 });
      const claim = await claimNext(ctx.store, jobId);
      expect((await ctx.store.holdCacheKey({ key, holder: 'taker', now: T0 + 20, holdMs: HOLD_MS })).kind).toBe('held');
      await ctx.store.finishRow({ jobId, rowId: claim.row.rowId, leaseToken: claim.leaseToken, outcome: failed(0), now: T0 + 30, cacheHold: { key, holder: 'slow' } });
      expect((await ctx.store.holdCacheKey({ key, holder: 'third', now: T0 + 31, holdMs: HOLD_MS })).kind).toBe('busy');
    });
  });
}
