// The API's progress view: a running job's smoothed rate, and a finished or paused job's speed frozen at its end.
import { describe, expect, it } from 'vitest';
import { JobViews } from '../../../backend/src/http/job-view.js';
import type { BatchRecord } from '../../../backend/src/ports/batch-store.js';
import type { Job, JobCounts, JobStatus } from '../../../backend/src/ports/domain.js';

const MIN = 60_000;

function job(status: JobStatus, overrides: Partial<Job> = {}): Job {
  return {
    id: 'job-1',
    owner: 'ada@example.com',
    target: { kind: 'sheet', spreadsheetId: 's', sheetId: 0 },
    config: { inputs: ['Brand'], outputs: [{ name: 'Category', instruction: 'c', type: 'text' }], model: 'gpt-4.1-mini', workers: 8, budgetUsd: 1, maxAttempts: 5, maxOutputTokens: 400, attemptTimeoutMs: 60_000, attemptTimeoutCapMs: 180_000, force: false },
    configHash: 'h',
    status,
    pauseReason: status === 'paused' ? 'budget' : null,
    message: null,
    budgetUsd: 1,
    createdAt: 0,
    updatedAt: 0,
    runningSince: 0,
    finishedAt: null,
    simulated: true,
    ...overrides,
  };
}

function counts(done: number, failed: number, queued: number, running = 0): JobCounts {
  return { total: done + failed + queued + running, queued, running, done, cached: 0, failed, skipped: 0, cancelled: 0, errorsByClass: {}, retriesByClass: {}, spentUsd: 0, reservedUsd: 0 };
}

describe('JobViews', () => {
  it('freezes the speed of a completed job at rows finished over its running time, and has no ETA', () => {
    const views = new JobViews();
    views.view(job('running'), counts(0, 0, 1000), 0);
    views.view(job('running'), counts(500, 0, 500), MIN / 2);
    // 1,000 rows (990 done, 10 failed) in 2 minutes, then the sidebar keeps polling for an hour.
    const done = job('completed', { updatedAt: 2 * MIN, finishedAt: 2 * MIN });
    const seen = [2, 3, 10, 60].map((m) => views.view(done, counts(990, 10, 0), m * MIN));
    expect(seen.map((v) => v.rowsPerMinute)).toEqual([500, 500, 500, 500]);
    expect(seen.map((v) => v.etaMs)).toEqual([null, null, null, null]);
  });

  it('freezes a paused job at its pause and a cancelled one at its cancel, with no ETA, even in a fresh process', () => {
    const views = new JobViews();
    const paused = views.view(job('paused', { updatedAt: 4 * MIN }), counts(100, 0, 900), 30 * MIN);
    expect(paused).toMatchObject({ rowsPerMinute: 25, etaMs: null });
    const cancelled = views.view(job('cancelled', { id: 'job-2', updatedAt: 5 * MIN, finishedAt: 5 * MIN }), counts(52, 0, 0), 90 * MIN);
    expect(cancelled).toMatchObject({ rowsPerMinute: 10.4, etaMs: null });
  });

  it('estimates the time left of a running job from its current rate', () => {
    const views = new JobViews();
    views.view(job('running'), counts(0, 0, 1000), 0);
    const view = views.view(job('running'), counts(100, 0, 900), MIN);
    expect(view.rowsPerMinute).toBe(100);
    expect(view.etaMs).toBe(9 * MIN);
  });

  it('shows a cheap job by its open batches: rows in batch, each batch\'s state and window, results by the last window end', () => {
    const HOUR = 60 * MIN;
    const batch = (seq: number, providerStatus: BatchRecord['providerStatus'], rowCount: number, expiresAt: number | null): BatchRecord => ({
      jobId: 'job-1', seq, filename: `f-${seq}`, phase: providerStatus === null ? 'claimed' : 'submitted', fileId: null, batchId: null, providerStatus,
      rowCount, reservedUsd: 0, tokens: 0, createdAt: seq * MIN, updatedAt: seq * MIN, expiresAt, nextPollAt: 0, polls: 0, message: null,
    });
    const cheapJob = (status: JobStatus) => job(status, { config: { ...job(status).config, mode: 'cheap' } });
    const open = [batch(0, 'in_progress', 20, 24 * HOUR), batch(1, null, 5, null)];
    const view = new JobViews().view(cheapJob('running'), counts(10, 0, 0, 25), HOUR, open);
    expect(view).toMatchObject({
      mode: 'cheap',
      inBatch: 25,
      batches: [
        { status: 'in_progress', rows: 20, expiresAt: new Date(24 * HOUR).toISOString() },
        // Not dated by the provider yet: 24 h after it was recorded.
        { status: null, rows: 5, expiresAt: new Date(MIN + 24 * HOUR).toISOString() },
      ],
      resultsBy: new Date(MIN + 24 * HOUR).toISOString(),
    });
    expect(new JobViews().view(cheapJob('completed'), counts(35, 0, 0), HOUR, [])).toMatchObject({ mode: 'cheap', inBatch: 0, batches: [], resultsBy: null });
    expect(new JobViews().view(job('running'), counts(10, 0, 0, 8), HOUR)).toMatchObject({ mode: 'fast', inBatch: 0, batches: [], resultsBy: null });
  });

  it("dates a cheap job's results for the rows still queued too: one more 24 h window for each round of batches they need", () => {
    const HOUR = 60 * MIN;
    const DAY = 24 * HOUR;
    const batch = (rowCount: number, expiresAt: number): BatchRecord => ({
      jobId: 'job-1', seq: 0, filename: 'f-0', phase: 'submitted', fileId: null, batchId: null, providerStatus: 'in_progress',
      rowCount, reservedUsd: 0, tokens: 0, createdAt: 0, updatedAt: 0, expiresAt, nextPollAt: 0, polls: 0, message: null,
    });
    const cheapJob = job('running', { config: { ...job('running').config, mode: 'cheap' } });
    // 100 rows in the open batch, 250 waiting for the enqueued-token limit: three more rounds after it.
    expect(new JobViews().view(cheapJob, counts(0, 0, 250, 100), HOUR, [batch(100, DAY)]).resultsBy).toBe(new Date(DAY + 3 * DAY).toISOString());
    // Between batches (none open, rows queued): the next batch goes out within a pump tick, answered within its window.
    expect(new JobViews().view(cheapJob, counts(100, 0, 40, 0), HOUR, []).resultsBy).toBe(new Date(HOUR + DAY).toISOString());
  });
});
