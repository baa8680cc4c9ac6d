// Turns a job and its counters into the API's progress view: a per-job smoothed rate while running, frozen at the end.
import type { Job, JobCounts } from '../ports/domain.js';
import { RateMeter, speedOf } from '../engine/progress.js';
import type { JobView } from './api-types.js';

export class JobViews {
  private readonly meters = new Map<string, RateMeter>();

  view(job: Job, counts: JobCounts, now: number): JobView {
    let meter = this.meters.get(job.id);
    if (!meter) {
      if (this.meters.size > 10_000) this.meters.clear();
      meter = new RateMeter();
      this.meters.set(job.id, meter);
    }
    const { rowsPerMinute, etaMs } = speedOf(job, counts, meter, now);
    // A resumed job measures afresh rather than averaging in the time it stood still.
    if (job.status !== 'running') this.meters.delete(job.id);
    const sheet = job.target.kind === 'sheet' ? job.target : undefined;
    return {
      id: job.id,
      status: job.status,
      pauseReason: job.pauseReason,
      message: job.message,
      simulated: job.simulated,
      model: job.config.model,
      workers: job.config.workers,
      budgetUsd: job.budgetUsd,
      spentUsd: counts.spentUsd,
      reservedUsd: counts.reservedUsd,
      counts: {
        total: counts.total,
        queued: counts.queued,
        running: counts.running,
        done: counts.done,
        cached: counts.cached,
        failed: counts.failed,
        skipped: counts.skipped,
        cancelled: counts.cancelled,
      },
      errorsByClass: counts.errorsByClass,
      rowsPerMinute: Math.round(rowsPerMinute * 10) / 10,
      etaMs: etaMs === null ? null : Math.round(etaMs),
      spreadsheetId: sheet?.spreadsheetId ?? null,
      sheetId: sheet?.sheetId ?? null,
      createdAt: new Date(job.createdAt).toISOString(),
      updatedAt: new Date(job.updatedAt).toISOString(),
      finishedAt: job.finishedAt === null ? null : new Date(job.finishedAt).toISOString(),
    };
  }
}
