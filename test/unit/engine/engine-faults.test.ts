import { afterEach, describe, expect, it } from 'vitest';
import { brandRows, jobConfig, startHarness, testTarget, type Harness } from '../../helpers/embedded-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ROWS = 100;

describe('Engine under injected faults (20% of requests)', () => {
  it.each([
    ['error500', []],
    ['connectionReset', []],
    ['rateLimit', []],
    ['hang', []],
    ['malformed', ['output_invalid']],
    ['invalidOutput', ['output_invalid']],
  ] as const)('%s: every row ends done or failed with the right class', async (fault, allowedFailures) => {
    h = await startHarness({ standIn: { faults: { [fault]: 0.2 }, hangMs: 5000, seed: 7 } });
    const job = await h.engine.startJob({ owner: 't', target: testTarget(`s:${fault}`), config: jobConfig({ attemptTimeoutMs: 300, attemptTimeoutCapMs: 600, maxAttempts: 8 }), rows: brandRows(ROWS) });
    const end = await h.settle(job.id, 90_000);
    expect(end.job.status).toBe('completed');
    expect(end.counts.done + end.counts.failed).toBe(ROWS);
    for (const cls of Object.keys(end.counts.errorsByClass)) expect(allowedFailures).toContain(cls);
    // A malformed answer is repaired once, so nearly every row still ends done.
    expect(end.counts.done).toBeGreaterThanOrEqual(ROWS * 0.9);
    expect(end.counts.spentUsd).toBeLessThanOrEqual(5);
  });

  it('insufficient_quota pauses the job at once: no more than one window of rows is tried after it', async () => {
    h = await startHarness({ standIn: { faults: { insufficientQuota: 0.2 }, latencyMs: 5, seed: 3 } });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('s:quota'), config: jobConfig({ workers: 8 }), rows: brandRows(ROWS) });
    const end = await h.settle(job.id);
    expect(end.job.status).toBe('paused');
    expect(end.job.pauseReason).toBe('quota');
    const log = h.standIn.requestLog;
    const firstQuota = log.findIndex((e) => e.fault === 'insufficientQuota');
    expect(log.length - firstQuota - 1).toBeLessThanOrEqual(8);
    expect(end.counts.queued).toBeGreaterThan(0);
    expect(end.counts.failed).toBe(0);
  });

  it('a key revoked mid-job pauses it for auth, and resuming after the fix finishes every row', async () => {
    h = await startHarness({ apiKey: 'sk-soon-revoked', standIn: { latencyMs: 5 } });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('s:auth'), config: jobConfig({ workers: 4 }), rows: brandRows(ROWS) });
    while ((await h.engine.status(job.id)).counts.done < 10) await new Promise((r) => setTimeout(r, 10));
    h.standIn.configure({ rejectKey: 'sk-soon-revoked' });
    const paused = await h.settle(job.id);
    expect(paused.job.pauseReason).toBe('auth');
    expect(paused.job.message).toMatch(/API key/i);
    const rejected = h.standIn.requestLog.filter((e) => e.status === 401).length;
    expect(rejected).toBeLessThanOrEqual(4);

    h.standIn.configure({ rejectKey: 'sk-invalid' });
    await h.engine.resume(job.id);
    const end = await h.settle(job.id);
    expect(end.counts.done).toBe(ROWS);
  });

  it('pauses on failure rate when more than half of the last 20 finished rows failed', async () => {
    h = await startHarness({ standIn: { faults: { contentFilter: 0.9 }, seed: 5 } });
    const job = await h.engine.startJob({ owner: 't', target: testTarget('s:breaker'), config: jobConfig({ workers: 2 }), rows: brandRows(ROWS) });
    const end = await h.settle(job.id);
    expect(end.job.status).toBe('paused');
    expect(end.job.pauseReason).toBe('failure_rate');
    expect(end.counts.failed + end.counts.done).toBeLessThan(40);
  });
});
