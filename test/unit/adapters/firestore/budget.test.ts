// Budget-lease arithmetic: top-ups cover the need and shrink as the pool drains; rebalances are exact.
import { describe, expect, it } from 'vitest';
import { allowance, freeBudget, gather, normalize, topUp, transferFrom } from '../../../../backend/src/adapters/firestore/budget.js';

const shard = (grantNanos: number, spentNanos: number, reservedNanos: number) => ({ grantNanos, spentNanos, reservedNanos });

describe('budget leases', () => {
  it('allowance is what a shard may still reserve, negative after an overrun', () => {
    expect(allowance(shard(100, 30, 20))).toBe(50);
    expect(allowance(shard(100, 90, 20))).toBe(-10);
  });

  it('a top-up covers the need, takes a share of a large pool, and nothing when the pool cannot cover it', () => {
    expect(topUp(10, 20, 1_000, 4)).toBe(0);
    expect(topUp(10, 4, 1_000, 4)).toBe(125);
    expect(topUp(10, 4, 20, 4)).toBe(6);
    expect(topUp(10, 4, 5, 4)).toBe(0);
    expect(topUp(10, -5, 1_000_000, 1)).toBe(500_000);
  });

  it('a top-up never hands out more than the pool holds', () => {
    for (const [reserve, available, free, shards] of [[7, 0, 7, 1], [1, 0, 3, 1], [10, 9, 1, 32]] as const) {
      expect(topUp(reserve, available, free, shards)).toBeLessThanOrEqual(free);
      expect(available + topUp(reserve, available, free, shards)).toBeGreaterThanOrEqual(reserve);
    }
  });

  it('free budget is the pool plus every allowance; gathering takes from the richest shards first', () => {
    const shards = [shard(50, 10, 0), shard(40, 0, 30), shard(10, 10, 0)];
    // granted 100 of 120: 20 in the pool, allowances 40 + 10 + 0.
    expect(freeBudget(shards, 120, 100)).toBe(70);
    expect(gather(shards, 2, 45)).toEqual({ takes: [{ shard: 0, amount: 40 }, { shard: 1, amount: 5 }], covered: true });
    expect(gather(shards, 2, 55)).toEqual({ takes: [{ shard: 0, amount: 40 }, { shard: 1, amount: 10 }], covered: false });
    expect(gather(shards, 0, 5)).toEqual({ takes: [{ shard: 1, amount: 5 }], covered: true });
  });

  it('a transfer takes from a shard whose idle allowance covers the need: half of it, at least the need', () => {
    const shards = [shard(10, 10, 0), shard(50, 10, 10), shard(100, 0, 20)];
    expect(transferFrom(shards, 0, 5, 0)).toEqual({ shard: 1, amount: 15 });
    expect(transferFrom(shards, 0, 5, 0.99)).toEqual({ shard: 2, amount: 40 });
    expect(transferFrom(shards, 0, 70, 0)).toEqual({ shard: 2, amount: 70 });
    expect(transferFrom(shards, 0, 81, 0.5)).toBeUndefined();
    expect(transferFrom(shards, 2, 20, 0.5)).toEqual({ shard: 1, amount: 20 });
    expect(transferFrom([shard(5, 0, 0)], 0, 1, 0)).toBeUndefined();
  });

  it('normalize leaves every shard with zero allowance, covering an overrun', () => {
    const plan = normalize([shard(50, 10, 5), shard(10, 30, 0)]);
    expect(plan.grants).toEqual([15, 30]);
    expect(plan.granted).toBe(45);
  });
});
