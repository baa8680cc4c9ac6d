// Budget-lease arithmetic: top-ups cover the need and shrink as the pool drains; rebalances are exact.
import { describe, expect, it } from 'vitest';
import { allowance, normalize, rebalance, topUp } from '../../../../backend/src/adapters/firestore/budget.js';

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

  it('rebalance takes idle allowance back and refuses exactly when the reservation does not fit', () => {
    const shards = [shard(50, 10, 0), shard(40, 0, 30), shard(10, 10, 0)];
    // committed 10 + 30 + 10 = 50 of 100: 50 free.
    expect(rebalance(shards, 100, 2, 51)).toBeUndefined();
    const plan = rebalance(shards, 100, 2, 50)!;
    expect(plan.grants).toEqual([10, 30, 60]);
    expect(plan.granted).toBe(100);
    const small = rebalance(shards, 100, 0, 1)!;
    expect(small.grants).toEqual([10 + 8, 30, 10]);
    expect(small.granted).toBeLessThanOrEqual(100);
  });

  it('normalize leaves every shard with zero allowance, covering an overrun', () => {
    const plan = normalize([shard(50, 10, 5), shard(10, 30, 0)]);
    expect(plan.grants).toEqual([15, 30]);
    expect(plan.granted).toBe(45);
  });
});
