// The status text a row shows in the sheet, the same words the CLI writes to files.
import type { Job, Row } from '../../ports/domain.js';

export function rowStatusText(row: Row, job: Job): string {
  switch (row.status) {
    case 'done':
      return row.cached ? 'done (cached)' : 'done';
    case 'skipped':
      return 'skipped (unchanged)';
    case 'failed':
      return `failed: ${row.errorClass ?? 'unknown'}`;
    case 'queued':
      return job.status === 'paused' ? `paused: ${job.pauseReason ?? 'user'}` : 'queued';
    default:
      return row.status;
  }
}
