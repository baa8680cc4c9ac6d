// The status a person reads next to a row, in a sheet or a file, as DESIGN §1 spells it.
import type { Job, Row } from '../ports/domain.js';

export function rowStatusText(row: Row, job: Job): string {
  switch (row.status) {
    case 'done':
      return row.cached ? 'done (cached)' : 'done';
    case 'skipped':
      return 'skipped (unchanged)';
    case 'failed':
      return `failed: ${row.errorClass ?? 'unknown'}`;
    case 'queued':
      return waitingStatusText(job);
    default:
      return row.status;
  }
}

/** What a row waiting its turn says: `queued`, or `paused: budget` (or another reason) while its job is paused. */
export function waitingStatusText(job: Job): string {
  return job.status === 'paused' ? `paused: ${job.pauseReason ?? 'user'}` : 'queued';
}
