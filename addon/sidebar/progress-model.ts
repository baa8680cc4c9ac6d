// What the progress panel shows for a job, worked out from the API's JobView (pure, so it is tested without a page).
import { byTime, eta, money, plural, rowsPerMinute } from '../src/format.js';
import type { JobView } from '../src/sidebar-api.js';

type BatchList = JobView['batches'];

/** `in progress (20 rows)`, `2 validating (40 rows)`: the open batches by their provider state, in the order first seen. */
export function batchStates(batches: BatchList): string {
  if (batches.length === 0) return '—';
  const groups = new Map<string, { batches: number; rows: number }>();
  for (const b of batches) {
    // Before the provider has it, Rowfill is packing and sending the file.
    const state = b.status === null ? 'being sent' : b.status.replace(/_/g, ' ');
    const group = groups.get(state) ?? { batches: 0, rows: 0 };
    groups.set(state, { batches: group.batches + 1, rows: group.rows + b.rows });
  }
  return [...groups].map(([state, g]) => `${g.batches > 1 ? `${g.batches} ` : ''}${state} (${plural(g.rows, 'row')})`).join(', ');
}

export interface ProgressModel {
  /** 0–100, rows that ran to an end (done, cached, skipped, failed) over all rows; cancelled rows never ran, so they do not fill the bar. */
  readonly percent: number;
  readonly headline: string;
  readonly stats: readonly (readonly [label: string, value: string])[];
  readonly errors: readonly (readonly [errorClass: string, count: number])[];
  readonly active: boolean;
  readonly canCancel: boolean;
  readonly canRetryFailed: boolean;
  readonly canResume: boolean;
  /** A budget that would let a budget-paused job go on: the old one doubled, at least a cent above what is spent and reserved. */
  readonly suggestedBudget: number | null;
}

const PAUSE_WORDS: Readonly<Record<string, string>> = {
  auth: 'the model provider refused the API key',
  quota: 'the model provider quota is used up',
  failure_rate: 'too many rows were failing',
  user: 'paused by a user',
};

/** The budget pause in one sentence from the numbers the Spent line shows (the engine's own message uses others). */
function budgetPause(job: JobView): string {
  const budget = job.budgetUsd ?? 0;
  const left = Math.max(0, budget - job.spentUsd);
  return `Paused: the budget is spent — ${money(job.spentUsd)} of ${money(budget)} spent; the ${money(left)} left is less than the next row may cost. Raise the budget to go on.`;
}

function headline(job: JobView, finished: number): string {
  const total = job.counts.total;
  switch (job.status) {
    case 'preparing':
      return `Preparing ${plural(total, 'row')}…`;
    case 'running':
      return `Running: ${finished} of ${plural(total, 'row')} finished.`;
    case 'paused': {
      if (job.pauseReason === 'budget') return budgetPause(job);
      const words = `Paused: ${PAUSE_WORDS[job.pauseReason ?? 'user'] ?? job.pauseReason ?? 'paused'}.`;
      return job.message ? `${words} ${job.message}` : words;
    }
    case 'cancelled':
      return `Cancelled after ${finished} of ${plural(total, 'row')}.`;
    case 'completed':
      return job.counts.failed > 0 ? `Finished with ${plural(job.counts.failed, 'failed row')}.` : `Finished: all ${plural(total, 'row')} done.`;
  }
}

/** A fast job's speed and time left from its rate; a cheap job's from its batches, whose window sets when results come. */
function timing(job: JobView, active: boolean, now: Date): (readonly [string, string])[] {
  if (job.mode === 'cheap') {
    return [
      ['In batch', String(job.inBatch)],
      ['Batches', batchStates(job.batches)],
      ['Results', !active ? '—' : job.resultsBy === null ? 'unknown' : byTime(new Date(job.resultsBy), now)],
    ];
  }
  return [
    ['Speed', rowsPerMinute(job.rowsPerMinute)],
    // The rate-based ETA reaches 0 while the last rows are still in flight: that is not "done".
    ['Time left', !active ? '—' : job.etaMs !== null && job.etaMs <= 0 ? 'finishing the last rows' : eta(job.etaMs)],
  ];
}

/** `now` is the reader's clock, for "by <time>" in their own day. */
export function progressModel(job: JobView, now: Date = new Date()): ProgressModel {
  const c = job.counts;
  const finished = c.done + c.skipped + c.failed;
  const percent = c.total === 0 ? 100 : Math.min(100, Math.round((finished / c.total) * 100));
  const active = job.status === 'running' || job.status === 'preparing';
  const budget = job.budgetUsd;
  const committed = job.spentUsd + job.reservedUsd;
  return {
    percent,
    headline: headline(job, finished),
    stats: [
      ['Done', c.cached > 0 ? `${c.done} (${c.cached} cached)` : String(c.done)],
      ['Failed', String(c.failed)],
      ['Skipped', String(c.skipped)],
      ['Spent', budget === null ? money(job.spentUsd) : `${money(job.spentUsd)} of ${money(budget)}`],
      ...timing(job, active, now),
    ],
    errors: Object.entries(job.errorsByClass)
      .filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0)
      .sort((a, b) => b[1] - a[1]),
    active,
    canCancel: active || job.status === 'paused',
    canRetryFailed: !active && c.failed > 0 && job.status !== 'cancelled',
    canResume: job.status === 'paused',
    suggestedBudget: job.status === 'paused' && job.pauseReason === 'budget' ? Math.max(Math.round((budget ?? 0) * 200) / 100, Math.ceil((committed + 0.01) * 100) / 100) : null,
  };
}
