// Progress of a job as an async stream: counts, spend, a smoothed rate and the ETA it implies.
import type { Clock } from '../ports/clock.js';
import type { Job, JobCounts } from '../ports/domain.js';
import type { Store } from '../ports/store.js';

export interface Progress {
  readonly job: Job;
  readonly counts: JobCounts;
  /** Finished rows (done + failed) per minute, smoothed; 0 until measured. */
  readonly rowsPerMinute: number;
  /** ms until the remaining rows are finished at the current rate; null when unknown. */
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
    const finished = counts.done + counts.failed;
    const rate = meter.sample(finished, now);
    const remaining = counts.queued + counts.running;
    const settled = isSettled(job, counts);
    const etaMs = remaining === 0 ? 0 : rate > 0 ? (remaining / rate) * 60_000 : null;
    yield { job, counts, rowsPerMinute: rate, etaMs, elapsedMs: now - startedAt, settled };
    if (settled && options.untilSettled !== false) return;
    if (options.signal?.aborted) return;
    try {
      await clock.sleep(interval, options.signal);
    } catch {
      return;
    }
  }
}
