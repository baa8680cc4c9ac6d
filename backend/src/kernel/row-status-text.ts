// The status a person reads next to a row, in a sheet or a file, as DESIGN §1 spells it.
import type { ErrorClass } from './error-classes.js';

/** What of a row its status text says (a ports/domain Row fits). */
export interface RowStatusFacts {
  readonly status: 'queued' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';
  readonly cached: boolean;
  readonly errorClass: ErrorClass | null;
}

/** What of a job a waiting row's status text says (a ports/domain Job fits). */
export interface JobStatusFacts {
  readonly status: 'preparing' | 'running' | 'paused' | 'cancelled' | 'completed';
  readonly pauseReason: string | null;
  /** A cheap job's running rows wait in a provider batch (a ports/domain Job's config fits). */
  readonly config?: { readonly mode?: 'fast' | 'cheap' | undefined };
}

export function rowStatusText(row: RowStatusFacts, job: JobStatusFacts): string {
  switch (row.status) {
    case 'done':
      return row.cached ? 'done (cached)' : 'done';
    case 'skipped':
      return 'skipped (unchanged)';
    case 'failed':
      return `failed: ${row.errorClass ?? 'unknown'}`;
    case 'queued':
      return waitingStatusText(job);
    case 'running':
      return job.config?.mode === 'cheap' ? 'in batch' : 'running';
    default:
      return row.status;
  }
}

/** What a row waiting its turn says: `queued`, or `paused: budget` (or another reason) while its job is paused. */
export function waitingStatusText(job: JobStatusFacts): string {
  return job.status === 'paused' ? `paused: ${job.pauseReason ?? 'user'}` : 'queued';
}
