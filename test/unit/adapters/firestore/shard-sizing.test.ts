// Counter shards per job: sized from the rate the job's config allows, so no shard takes more than ~1 write a second.
import { describe, expect, it } from 'vitest';
import { maxCounterShards } from '../../../../backend/src/adapters/firestore/options.js';
import { CHEAP_MAX_COUNTER_SHARDS, counterShardsFor, peakRowsPerSecond } from '../../../../backend/src/adapters/firestore/shard-sizing.js';

const FLOOR = 128;
const MAX = maxCounterShards(16);

describe('peakRowsPerSecond', () => {
  it('is the requests per minute over 60 when given, else the rows in flight over the fastest call', () => {
    expect(peakRowsPerSecond({ workers: 'auto', rpm: 10_000 })).toBeCloseTo(166.67, 2);
    // Fewer workers than the rate would need: the window bounds it.
    expect(peakRowsPerSecond({ workers: 10, rpm: 10_000 })).toBe(20);
    expect(peakRowsPerSecond({ workers: 50 })).toBe(100);
    // An auto window with no known limit may grow to the engine's cap (500 in flight).
    expect(peakRowsPerSecond({ workers: 'auto' })).toBe(1_000);
    expect(peakRowsPerSecond({ workers: 'auto' }, 100)).toBe(200);
    expect(peakRowsPerSecond({ workers: 'auto', mode: 'fast', rpm: 600 })).toBe(10);
  });

  it('has no per-row rate for a cheap job (its rows are claimed a chunk at a time)', () => {
    expect(peakRowsPerSecond({ workers: 'auto', rpm: 10_000, mode: 'cheap' })).toBeUndefined();
  });
});

describe('counterShardsFor', () => {
  it('gives ⌈2 × rows/s × 1.3⌉ shards between the configured count and what one commit holds', () => {
    // 10,000 requests/min: 167 rows/s, two shard writes a row, 1.3 for the hottest shard's hash skew.
    expect(counterShardsFor({ workers: 'auto', rpm: 10_000 }, FLOOR, MAX)).toBe(434);
    expect(counterShardsFor({ workers: 50 }, FLOOR, MAX)).toBe(260);
    // Slow jobs keep the configured count.
    expect(counterShardsFor({ workers: 20 }, FLOOR, MAX)).toBe(FLOOR);
    expect(counterShardsFor({ workers: 'auto', rpm: 2_400 }, FLOOR, MAX)).toBe(FLOOR);
    expect(counterShardsFor({ workers: 'auto', rpm: 3_000 }, FLOOR, MAX)).toBe(130);
    expect(counterShardsFor({ workers: 5 }, 32, MAX)).toBe(32);
    // Faster than any count keeps under 1 write/s: as many as a commit allows.
    expect(counterShardsFor({ workers: 'auto' }, FLOOR, MAX)).toBe(482);
    expect(counterShardsFor({ workers: 'auto', rpm: 30_000 }, FLOOR, maxCounterShards(64))).toBe(434);
  });

  it('keeps every shard under 1 write a second at the top rate, with the skew, whenever the maximum allows', () => {
    for (const rpm of [600, 3_000, 6_000, 10_000, 11_000]) {
      const shards = counterShardsFor({ workers: 'auto', rpm }, FLOOR, MAX);
      expect(((2 * rpm) / 60 / shards) * 1.25).toBeLessThan(1);
    }
  });

  it('gives a cheap job the configured count, at most what a batch claim commit has room for', () => {
    expect(counterShardsFor({ workers: 'auto', rpm: 10_000, mode: 'cheap' }, FLOOR, MAX)).toBe(FLOOR);
    expect(counterShardsFor({ workers: 50, mode: 'cheap' }, 400, MAX)).toBe(CHEAP_MAX_COUNTER_SHARDS);
    // claim-batch.ts: rows + 2 × shards + 3 ≤ 500 leaves a cheap job's chunk ~100 rows at the cap.
    expect(500 - 3 - 2 * CHEAP_MAX_COUNTER_SHARDS).toBeGreaterThanOrEqual(90);
  });
});
