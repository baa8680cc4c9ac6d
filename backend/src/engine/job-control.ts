// What a user does to a job after it starts: cancel, pause, resume (optionally with a new budget), re-run failed rows.
import type { Job } from '../ports/domain.js';
import type { EngineContext } from './context.js';
import { CancelledError } from '../kernel/errors.js';
import { JobError } from '../kernel/job-errors.js';

export class JobControl {
  constructor(private readonly ctx: EngineContext) {}

  /** The job, or job_not_found. Cancel and pause read it only when their transition is refused, to say why. */
  private async require(jobId: string): Promise<Job> {
    const job = await this.ctx.store.getJob(jobId);
    if (!job) throw new JobError('job_not_found', `No job ${jobId}.`);
    return job;
  }

  /**
   * The job as the caller read it, or read now. A snapshot may be a moment old: every transition below is conditional
   * on the state it expects, so one that changed meanwhile is refused, not overwritten.
   */
  private snapshot(job: string | Job): Promise<Job> {
    return typeof job === 'string' ? this.require(job) : Promise.resolve(job);
  }

  /** Queued rows are cancelled at once and in-flight calls in this process are aborted: nothing further is spent. */
  async cancel(jobId: string): Promise<Job> {
    const cancelled = await this.ctx.store.transitionJob(jobId, { to: 'cancelled', from: ['preparing', 'running', 'paused'], message: 'Cancelled by the user.', now: this.ctx.clock.now() });
    if (!cancelled) throw new JobError('job_state', `Job ${jobId} is ${(await this.require(jobId)).status}; only a preparing, running or paused job can be cancelled.`);
    this.ctx.abortJob(jobId, new CancelledError('The job was cancelled.'));
    await this.ctx.schedulePump(jobId, 0, 'kick');
    return cancelled;
  }

  async pause(jobId: string): Promise<Job> {
    const paused = await this.ctx.store.transitionJob(jobId, { to: 'paused', from: ['running'], pauseReason: 'user', message: 'Paused by the user.', now: this.ctx.clock.now() });
    if (!paused) throw new JobError('job_state', `Job ${jobId} is ${(await this.require(jobId)).status}; only a running job can be paused.`);
    return paused;
  }

  /** Abort this process's in-flight model calls for the job; their rows go back to the queue (e.g. on Ctrl-C). */
  abortInFlight(jobId: string): void {
    this.ctx.abortJob(jobId, new CancelledError('Interrupted.'));
  }

  /** Resume a paused job; a new budget must cover what is already spent and reserved. */
  async resume(jobOrId: string | Job, options: { readonly budgetUsd?: number } = {}): Promise<Job> {
    const job = await this.snapshot(jobOrId);
    const jobId = job.id;
    if (job.status === 'running') return job;
    if (job.status !== 'paused') throw new JobError('job_state', `Job ${jobId} is ${job.status}; only a paused job can be resumed.`);
    const budget = options.budgetUsd;
    if (budget !== undefined) {
      if (!(Number.isFinite(budget) && budget > 0)) throw new JobError('invalid_config', 'budgetUsd: must be greater than 0');
      if (budget > this.ctx.options.limits.maxBudgetUsd) throw new JobError('invalid_config', `budgetUsd: must be at most ${this.ctx.options.limits.maxBudgetUsd}`);
      const { spentUsd, reservedUsd } = await this.ctx.store.counts(jobId);
      if (budget <= spentUsd + reservedUsd) {
        throw new JobError('invalid_config', `budgetUsd: must be more than the $${(spentUsd + reservedUsd).toFixed(4)} already spent or reserved`);
      }
    }
    const resumed = await this.ctx.store.transitionJob(jobId, {
      to: 'running',
      from: ['paused'],
      pauseReason: null,
      message: null,
      ...(budget !== undefined ? { budgetUsd: budget } : {}),
      now: this.ctx.clock.now(),
    });
    if (!resumed) throw new JobError('job_state', `Job ${jobId} changed state; try again.`);
    await this.ctx.topUpOrLeaveToPump(resumed);
    // Rows that read "paused: budget" in the sheet go back to "queued".
    await this.ctx.schedulePump(jobId, 0, 'rewrite-waiting');
    return resumed;
  }

  /** Re-queue only the failed rows; a completed or paused job runs again. */
  async retryFailed(jobOrId: string | Job): Promise<{ job: Job; requeued: number }> {
    const job = await this.snapshot(jobOrId);
    const jobId = job.id;
    if (job.status === 'cancelled' || job.status === 'preparing') throw new JobError('job_state', `Job ${jobId} is ${job.status}; failed rows cannot be re-run.`);
    const requeued = await this.ctx.store.requeueFailed(jobId);
    if (requeued === 0) return { job, requeued };
    const running = await this.ctx.store.transitionJob(jobId, { to: 'running', from: ['completed', 'paused', 'running'], pauseReason: null, message: null, now: this.ctx.clock.now() });
    const current = running ?? job;
    await this.ctx.topUpOrLeaveToPump(current);
    // The re-queued rows still read "failed: …" in the sheet until they finish again.
    await this.ctx.schedulePump(jobId, 0, 'rewrite-waiting');
    return { job: current, requeued };
  }

  /**
   * After a crash of the only process working on this store (the embedded default), take every lease and slot back
   * at once instead of waiting for them to expire. Never call this when other workers share the store.
   */
  async recoverExclusive(jobId: string): Promise<Job> {
    const job = await this.require(jobId);
    // A cheap job's running rows wait in provider batches that outlive the process: only a lease past its end is lost.
    const recovered = await this.ctx.store.expireLeases(jobId, job.config.mode === 'cheap' ? this.ctx.clock.now() : Number.POSITIVE_INFINITY);
    await this.ctx.store.undispatchStale(jobId, Number.POSITIVE_INFINITY);
    if (recovered > 0) this.ctx.log.warn({ jobId, recovered }, 'rows in flight at the crash go back to the queue; their reservations count as spent');
    if (job.status === 'running') await this.ctx.topUpOrLeaveToPump(job);
    if (job.status === 'running' || job.status === 'paused') await this.ctx.schedulePump(jobId, 0, 'kick');
    // Taking leases and slots back moves rows and money (counts), never the job's state.
    return job;
  }
}
