// The sidebar's progress panel worked out from a JobView: percent, stats, errors by class, and which buttons show.
import { describe, expect, it } from 'vitest';
import type { JobView } from '../../../backend/src/http/api-types.js';
import { progressModel } from '../../../addon/sidebar/progress-model.js';

function job(patch: Partial<Omit<JobView, 'counts'>> & { counts?: Partial<JobView['counts']> } = {}): JobView {
  const { counts, ...rest } = patch;
  return {
    id: 'job_1',
    mode: 'fast',
    inBatch: 0,
    batches: [],
    resultsBy: null,
    status: 'running',
    pauseReason: null,
    message: null,
    simulated: false,
    model: 'gpt-4.1-mini',
    workers: 8,
    budgetUsd: 0.5,
    spentUsd: 0.1234,
    reservedUsd: 0.01,
    counts: { total: 100, queued: 40, running: 8, done: 45, cached: 5, failed: 4, skipped: 3, cancelled: 0, ...counts },
    errorsByClass: { rate_limit: 1, content_filter: 3 },
    rowsPerMinute: 42.4,
    etaMs: 5 * 60_000,
    spreadsheetId: 'sheet',
    sheetId: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: null,
    ...rest,
  };
}

describe('progress model', () => {
  it('shows a running job: percent of finished rows, counts, spend against budget, speed, ETA, errors largest first', () => {
    const model = progressModel(job());
    expect(model.percent).toBe(52);
    expect(model.headline).toBe('Running: 52 of 100 rows finished.');
    expect(model.stats).toEqual([
      ['Done', '45 (5 cached)'],
      ['Failed', '4'],
      ['Skipped', '3'],
      ['Spent', '$0.12 of $0.50'],
      ['Speed', '42 rows/min'],
      ['Time left', 'about 5 min'],
    ]);
    expect(model.errors).toEqual([
      ['content_filter', 3],
      ['rate_limit', 1],
    ]);
    expect(model).toMatchObject({ active: true, canCancel: true, canRetryFailed: false, canResume: false, suggestedBudget: null });
  });

  it('offers a raised budget when the job paused at its budget', () => {
    const model = progressModel(job({ status: 'paused', pauseReason: 'budget', spentUsd: 0.49, reservedUsd: 0.01 }));
    expect(model.headline).toBe('Paused: the budget is spent — $0.49 of $0.50 spent; the $0.01 left is less than the next row may cost. Raise the budget to go on.');
    expect(model).toMatchObject({ active: false, canCancel: true, canResume: true, canRetryFailed: true, suggestedBudget: 1 });
  });

  it('offers re-running failed rows once a job finished with failures, and nothing after a cancel', () => {
    const done = progressModel(job({ status: 'completed', counts: { queued: 0, running: 0, done: 93 } }));
    expect(done).toMatchObject({ percent: 100, headline: 'Finished with 4 failed rows.', canRetryFailed: true, canCancel: false });
    expect(done.stats.find(([label]) => label === 'Time left')?.[1]).toBe('—');
    const cancelled = progressModel(job({ status: 'cancelled', counts: { queued: 0, running: 0, cancelled: 40, done: 53 } }));
    expect(cancelled).toMatchObject({ canRetryFailed: false, canCancel: false, canResume: false });
  });

  it('says the budget pause in one sentence, from the numbers the Spent line shows, not the engine\'s own wording', () => {
    const model = progressModel(
      job({ status: 'paused', pauseReason: 'budget', budgetUsd: 0.003, spentUsd: 0.0016, reservedUsd: 0, message: 'The budget is used up: the next row may cost up to $0.0020 and $0.0014 is left.' }),
    );
    const spent = model.stats.find(([label]) => label === 'Spent')?.[1];
    expect(spent).toBe('$0.0016 of $0.0030');
    expect(model.headline).toBe(`Paused: the budget is spent — ${spent ?? ''} spent; the $0.0014 left is less than the next row may cost. Raise the budget to go on.`);
    // Other pauses keep the engine's reason.
    expect(progressModel(job({ status: 'paused', pauseReason: 'auth', message: 'Check OPENAI_API_KEY.' })).headline).toBe('Paused: the model provider refused the API key. Check OPENAI_API_KEY.');
  });

  it('fills the bar of a cancelled job only with the rows finished before the cancel', () => {
    const cancelled = progressModel(job({ status: 'cancelled', counts: { queued: 0, running: 0, cancelled: 48, done: 45, failed: 4, skipped: 3 } }));
    expect(cancelled.percent).toBe(52);
  });

  it('never says "done" for the time left of a job still running', () => {
    const last = progressModel(job({ etaMs: 0 }));
    expect(last.stats.find(([label]) => label === 'Time left')?.[1]).toBe('finishing the last rows');
  });

  it('counts the rows finished before a cancel, not the cancelled ones, in the headline', () => {
    const cancelled = progressModel(job({ status: 'cancelled', counts: { queued: 0, running: 0, cancelled: 40, done: 53 } }));
    // 53 done + 4 failed + 3 skipped ran; 40 were cancelled.
    expect(cancelled.headline).toBe('Cancelled after 60 of 100 rows.');
  });

  it('shows a cheap job by its batches: rows in batch, each state with its rows, and results "by <time>" from the batch window', () => {
    const now = new Date(2026, 11, 7, 9, 0);
    const at = (h: number, m: number, day = 7) => new Date(2026, 11, day, h, m).toISOString();
    const cheap = job({
      mode: 'cheap',
      inBatch: 30,
      batches: [
        { status: 'in_progress', rows: 20, expiresAt: at(14, 5) },
        { status: 'validating', rows: 5, expiresAt: at(14, 30) },
        { status: 'in_progress', rows: 3, expiresAt: at(14, 31) },
        { status: null, rows: 2, expiresAt: at(15, 0) },
      ],
      resultsBy: at(15, 0),
      counts: { total: 50, queued: 0, running: 30, done: 20, cached: 0, failed: 0, skipped: 0 },
    });
    const model = progressModel(cheap, now);
    expect(model.stats.slice(4)).toEqual([
      ['In batch', '30'],
      ['Batches', '2 in progress (23 rows), validating (5 rows), being sent (2 rows)'],
      ['Results', 'by 15:00'],
    ]);
    expect(progressModel({ ...cheap, resultsBy: at(9, 5, 8) }, now).stats.at(-1)).toEqual(['Results', 'by tomorrow 09:05']);
    expect(progressModel({ ...cheap, resultsBy: at(7, 45, 9) }, now).stats.at(-1)).toEqual(['Results', 'by Dec 9 07:45']);
    // Finished: no batches, no deadline.
    expect(progressModel({ ...cheap, status: 'completed', inBatch: 0, batches: [], resultsBy: null }, now).stats.slice(4)).toEqual([
      ['In batch', '0'],
      ['Batches', '—'],
      ['Results', '—'],
    ]);
  });
});
