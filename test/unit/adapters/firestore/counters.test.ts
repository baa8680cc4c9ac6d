// Counter-shard arithmetic: deltas apply field by field, class maps drop zeros, sums add every shard.
import { describe, expect, it } from 'vitest';
import { applyDelta, positiveClasses, sumShards, toShardDelta } from '../../../../backend/src/adapters/firestore/counters.js';
import type { CounterDoc } from '../../../../backend/src/adapters/firestore/records.js';
import { SCHEMA, ZERO_COUNTERS } from '../../../../backend/src/adapters/firestore/records.js';

const empty: CounterDoc = { schema: SCHEMA, status: 'running', budgetNanos: 100, updatedAt: 0, ...ZERO_COUNTERS, classKeys: 0 };

describe('counter shards', () => {
  it('applies a delta, stamps updatedAt only when the step has a time, and keeps the copied job fields', () => {
    const next = applyDelta(empty, { queued: -1, running: 1, reservedNanos: 5, errors: { server: 1 } }, 42);
    expect(next).toMatchObject({ queued: -1, running: 1, reservedNanos: 5, errors: { server: 1 }, updatedAt: 42, status: 'running', budgetNanos: 100 });
    expect(next.classKeys).toBe(1);
    expect(applyDelta(next, { errors: { server: -1 } }, null)).toMatchObject({ errors: {}, updatedAt: 42, classKeys: 0 });
    expect(applyDelta(next, { retries: { rate_limit: 2 } }, null)).toMatchObject({ classKeys: 2 });
  });

  it('turns a decided change into shard terms: every row leaving the window is released', () => {
    expect(toShardDelta({ queued: -1, queuedDispatched: -1, running: 1, reservedNanos: 5 }, 7)).toMatchObject({ released: 0, grantNanos: 7, reservedNanos: 5 });
    expect(toShardDelta({ running: -1, done: 1, finishSeq: 1 })).toMatchObject({ released: 1, done: 1 });
    expect(toShardDelta({ running: -1, queued: 1, queuedDispatched: 1 })).toMatchObject({ released: 0 });
    expect(toShardDelta({ queued: -1, cancelled: 1, queuedDispatched: -1 })).toMatchObject({ released: 1 });
    expect(toShardDelta({ total: 3, queued: 3 })).toMatchObject({ released: 0 });
    expect(toShardDelta({ running: -1, done: 1, finishSeq: 1 })).not.toHaveProperty('finishSeq');
  });

  it('sums shards, including counts a shard holds below zero, and the latest updatedAt', () => {
    const a = applyDelta(empty, { total: 10, queued: 10, errors: { auth: 1 } }, 5);
    const b = applyDelta(empty, { queued: -3, done: 3, spentNanos: 7, errors: { auth: 1, quota: -1 } }, 9);
    expect(sumShards([a, b])).toMatchObject({ total: 10, queued: 7, done: 3, spentNanos: 7, errors: { auth: 2, quota: -1 }, updatedAt: 9 });
    expect(positiveClasses({ auth: 2, quota: -1, server: 0 })).toEqual({ auth: 2 });
  });
});
