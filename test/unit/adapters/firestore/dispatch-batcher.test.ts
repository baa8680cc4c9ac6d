// DispatchBatcher: calls that arrive while a dispatch runs share the next one; each gets at most its own limit.
import { describe, expect, it } from 'vitest';
import type { MergedDispatch } from '../../../../backend/src/adapters/firestore/dispatch-batcher.js';
import { DispatchBatcher } from '../../../../backend/src/adapters/firestore/dispatch-batcher.js';

describe('DispatchBatcher', () => {
  it('runs one dispatch per key at a time and merges every call that waited under the smallest window, rows in call order', async () => {
    const runs: MergedDispatch[] = [];
    let next = 0;
    const batcher = new DispatchBatcher<number>(async (_key, merged) => {
      runs.push(merged);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return Array.from({ length: Math.min(merged.limit, 4) }, () => next++);
    });
    const calls = [
      batcher.submit('job', { maxInFlight: 10, limit: 1, now: 1 }),
      batcher.submit('job', { maxInFlight: 10, limit: 2, now: 2 }),
      batcher.submit('job', { maxInFlight: 10, limit: 3, now: 3 }),
      batcher.submit('job', { maxInFlight: 5, limit: 1, now: 4 }),
    ];
    // The first call ran alone; the three that waited shared one step, under the smallest window any of them asked
    // for, so no caller's cap is passed; the step found 4 rows, handed out in call order.
    expect(await Promise.all(calls)).toEqual([[0], [1, 2], [3, 4], []]);
    expect(runs).toEqual([
      { maxInFlight: 10, limit: 1, now: 1 },
      { maxInFlight: 5, limit: 6, now: 4 },
    ]);
  });

  it('fails every call of a merged dispatch that failed, and carries on with the next', async () => {
    let calls = 0;
    const batcher = new DispatchBatcher<number>(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (calls === 2) throw new Error('lost');
      return [calls];
    });
    const first = batcher.submit('job', { maxInFlight: 1, limit: 1, now: 0 });
    const merged = [batcher.submit('job', { maxInFlight: 1, limit: 1, now: 0 }), batcher.submit('job', { maxInFlight: 1, limit: 1, now: 0 })];
    await expect(first).resolves.toEqual([1]);
    for (const call of merged) await expect(call).rejects.toThrow('lost');
    await expect(batcher.submit('job', { maxInFlight: 1, limit: 1, now: 0 })).resolves.toEqual([3]);
  });
});
