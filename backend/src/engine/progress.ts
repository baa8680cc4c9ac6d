// Progress of a job as an async stream: counts, spend, a smoothed rate and the ETA it implies.
import type { Clock } from '../ports/clock.js';
import type { Job, JobCounts } from '../ports/domain.js';
import type { Store } from '../ports/store.js';

export interface Progress {
  readonly job: Job;
  readonly counts: JobCounts;
  /** Finished rows (done + failed) per minute: smoothed while running (0 until measured), frozen at the end otherwise. */
  readonly rowsPerMinute: number;
  /** ms until the remaining rows are finished at the current rate; null when unknown or the job is not running. */
  readonly etaMs: number | null;
  readonly elapsedMs: number;
  /** True when nothing will change without a user action: completed, cancelled, or paused with nothing in flight. */
  readonly settled: boolean;
}

/** An exponentially weighted rate whose memory is `timeConstantMs`, so a burst or a stall fades in about that long. */
export class RateMeter {
  private rate = 0;
  private last: { at: number; finished: number } | undefined;

  constructor(private readonly timeConstantMs = 20_000) {}

  sample(finished: number, now: number): number {
    if (!this.last) {
      this.last = { at: now, finished };
      return this.rate;
    }
    const dt = now - this.last.at;
    if (dt <= 0) return this.rate;
    const instant = ((finished - this.last.finished) / dt) * 60_000;
    const alpha = this.rate === 0 ? 1 : 1 - Math.exp(-dt / this.timeConstantMs);
    this.rate = this.rate + alpha * (instant - this.rate);
    this.last = { at: now, finished };
    return this.rate;
  }
}

/**
 * The speed of a job that is not running, frozen where it stopped: rows finished (done + failed) per minute from its
 * creation to its end (finishedAt when completed or cancelled, the last state change when paused). A smoothed meter
 * would keep decaying toward 0 while the job sits finished; this answer is the same in every process and at any time.
 * The span includes earlier pauses of a resumed job, as no running total is stored: it never overstates the speed.
 */
export function frozenRate(job: Job, counts: JobCounts): number {
  const end = job.finishedAt ?? job.updatedAt;
  const minutes = (end - job.createdAt) / 60_000;
  const finished = counts.done + counts.failed;
  return minutes > 0 && finished > 0 ? finished / minutes : 0;
}

/** Rows per minute and the time left at that rate: smoothed while running; frozen, with no ETA, otherwise. */
export function speedOf(job: Job, counts: JobCounts, meter: RateMeter, now: number): { readonly rowsPerMinute: number; readonly etaMs: number | null } {
  if (job.status !== 'running') return { rowsPerMinute: frozenRate(job, counts), etaMs: null };
  const rate = meter.sample(counts.done + counts.failed, now);
  const remaining = counts.queued + counts.running;
  return { rowsPerMinute: rate, etaMs: remaining === 0 ? 0 : rate > 0 ? (remaining / rate) * 60_000 : null };
}

/** "Settled" here: the job is at rest — ended, or paused with no row still running (not a Promise's settling). */
export function isSettled(job: Job, counts: JobCounts): boolean {
  return job.status === 'completed' || job.status === 'cancelled' || (job.status === 'paused' && counts.running === 0);
}

export interface ProgressOptions {
  /** How often to sample. Default 1000 ms. */
  readonly intervalMs?: number;
  /** Stop when the job settles (default true). */
  readonly untilSettled?: boolean;
  readonly signal?: AbortSignal;
}

export async function* progressStream(store: Store, clock: Clock, jobId: string, options: ProgressOptions = {}): AsyncGenerator<Progress> {
  const interval = options.intervalMs ?? 1000;
  const meter = new RateMeter();
  const startedAt = clock.now();
  for (;;) {
    const [job, counts] = await Promise.all([store.getJob(jobId), store.counts(jobId)]);
    if (!job) return;
    const now = clock.now();
    const { rowsPerMinute, etaMs } = speedOf(job, counts, meter, now);
    const settled = isSettled(job, counts);
    yield { job, counts, rowsPerMinute, etaMs, elapsedMs: now - startedAt, settled };
    if (settled && options.untilSettled !== false) return;
    if (options.signal?.aborted) return;
    try {
      await clock.sleep(interval, options.signal);
    } catch {
      return;
    }
  }
}
