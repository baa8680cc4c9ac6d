import { describe, expect, it } from 'vitest';
import { progressStream, RateMeter, type Progress } from '../../../backend/src/engine/progress.js';
import type { Job, JobCounts } from '../../../backend/src/ports/domain.js';
import type { Store } from '../../../backend/src/ports/store.js';

describe('RateMeter', () => {
  it('measures rows per minute from finished counts', () => {
    const m = new RateMeter();
    m.sample(0, 0);
    expect(m.sample(10, 1000)).toBeCloseTo(600);
  });

  it('smooths a stall instead of dropping to zero at once', () => {
    const m = new RateMeter(20_000);
    m.sample(0, 0);
    m.sample(100, 10_000);
    const after = m.sample(100, 11_000);
    expect(after).toBeGreaterThan(500);
    expect(after).toBeLessThan(600);
  });
});

describe('progressStream', () => {
  it('ends a completed job with its final speed and no time left', async () => {
    const job = {
      id: 'job-1', status: 'completed', createdAt: 0, updatedAt: 120_000, runningSince: 0, finishedAt: 120_000,
    } as unknown as Job;
    const counts = { total: 1000, queued: 0, running: 0, done: 990, cached: 0, failed: 10, skipped: 0, cancelled: 0 } as unknown as JobCounts;
    const store = { getJob: () => Promise.resolve(job), counts: () => Promise.resolve(counts) } as unknown as Store;
    const clock = { now: () => 3_600_000, sleep: () => Promise.resolve() };
    const seen: Progress[] = [];
    for await (const p of progressStream(store, clock, 'job-1')) seen.push(p);
    expect(seen.map((p) => [p.rowsPerMinute, p.etaMs, p.settled])).toEqual([[500, null, true]]);
  });
});
