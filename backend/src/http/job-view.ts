// Turns a job and its counters into the API's progress view: a per-job smoothed rate while running, frozen at the end.
import type { BatchRecord } from '../ports/batch-store.js';
import type { Job, JobCounts } from '../ports/domain.js';
import { RateMeter, speedOf } from '../engine/progress.js';
import type { BatchView, JobView } from './api-types.js';

/** The Batch API's completion window: a batch the provider has not dated yet ends at the latest this long after it was recorded. */
const BATCH_WINDOW_MS = 24 * 3600_000;

function batchView(record: BatchRecord): BatchView {
  return { status: record.providerStatus, rows: record.rowCount, expiresAt: new Date(record.expiresAt ?? record.createdAt + BATCH_WINDOW_MS).toISOString() };
}

/**
 * When every row is answered at the latest: the last open batch's window end, plus one window for each further round
 * of batches the queued rows need (a round carries as many rows as the open batches do now: the enqueued-token limit
 * is what holds the rest back). Rows queued with no batch open go out within a pump tick, in one round.
 */
function resultsBy(job: Job, counts: JobCounts, open: readonly BatchRecord[], now: number): string | null {
  if (job.status !== 'running') return null;
  const lastEnd = open.length === 0 ? null : Math.max(...open.map((b) => b.expiresAt ?? b.createdAt + BATCH_WINDOW_MS));
  if (counts.queued === 0) return lastEnd === null ? null : new Date(lastEnd).toISOString();
  const perRound = open.reduce((rows, b) => rows + b.rowCount, 0);
  const rounds = perRound > 0 ? Math.ceil(counts.queued / perRound) : 1;
  return new Date((lastEnd ?? now) + rounds * BATCH_WINDOW_MS).toISOString();
}

export class JobViews {
  private readonly meters = new Map<string, RateMeter>();

  /** `openBatches`: a cheap job's batches not yet applied (BatchStore.listBatches with `open`); none for a fast job. */
  view(job: Job, counts: JobCounts, now: number, openBatches: readonly BatchRecord[] = []): JobView {
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
    const cheap = job.config.mode === 'cheap';
    return {
      id: job.id,
      mode: cheap ? 'cheap' : 'fast',
      // A cheap job's running rows are those its batches carry (a row's one repair runs fast, briefly).
      inBatch: cheap ? counts.running : 0,
      batches: cheap ? openBatches.map(batchView) : [],
      resultsBy: cheap ? resultsBy(job, counts, openBatches, now) : null,
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
