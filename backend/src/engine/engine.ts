// The engine's front door: wires the handlers over the ports and exposes what routes and CLI commands call.
import { silentLogger } from '../ports/logger.js';
import type { BatchRecord } from '../ports/batch-store.js';
import type { Job, JobCounts } from '../ports/domain.js';
import type { DeliveredTask, TaskOutcome } from '../ports/queue.js';
import { EngineContext, type EngineDeps } from './context.js';
import { JobControl } from './job-control.js';
import { JobError } from '../kernel/job-errors.js';
import { JobPump } from './job-pump.js';
import { JobStarter, type Estimate, type EstimateRequest, type StartJobRequest } from './job-starter.js';
import { resolveEngineOptions, type EngineOptions } from './options.js';
import { progressStream, type Progress, type ProgressOptions } from './progress.js';
import type { RowsSource } from './row-intake.js';
import { RowRunner } from './row-runner.js';
import { pumpCause } from './task-names.js';

export class Engine {
  private readonly ctx: EngineContext;
  private readonly rows: RowRunner;
  private readonly pump: JobPump;
  private readonly starter: JobStarter;
  private readonly control: JobControl;

  constructor(deps: EngineDeps, options: EngineOptions = {}) {
    this.ctx = new EngineContext({ ...deps, random: deps.random ?? Math.random, log: deps.log ?? silentLogger }, resolveEngineOptions(options));
    this.rows = new RowRunner(this.ctx);
    this.pump = new JobPump(this.ctx, this.rows);
    this.starter = new JobStarter(this.ctx);
    this.control = new JobControl(this.ctx);
  }

  /** The queue's handler: a row task or a pump task. Safe to deliver any number of times. */
  readonly handleTask = (task: DeliveredTask): Promise<TaskOutcome> =>
    task.kind === 'row' ? this.rows.run(task.payload) : this.pump.run(task.payload.jobId, pumpCause(task.name));

  /** Starts a job from a config already parsed at the edge (the application layer, the CLI's arguments). */
  startJob(request: StartJobRequest): Promise<Job> {
    return this.starter.start(request);
  }

  /** Stores the rest of a job's rows after a crash during intake; `rows` is the job's source again. */
  finishIntake(jobId: string, rows: RowsSource): Promise<Job> {
    return this.starter.finishIntake(jobId, rows);
  }

  estimate(request: EstimateRequest): Promise<Estimate> {
    return this.starter.estimate(request);
  }

  cancel(jobId: string): Promise<Job> {
    return this.control.cancel(jobId);
  }

  pause(jobId: string): Promise<Job> {
    return this.control.pause(jobId);
  }

  abortInFlight(jobId: string): void {
    this.control.abortInFlight(jobId);
  }

  /** `job` may be the job as the caller just read it (to authorize the action), so it is not read again. */
  resume(job: string | Job, options?: { readonly budgetUsd?: number }): Promise<Job> {
    return this.control.resume(job, options);
  }

  /** `job` may be the job as the caller just read it (to authorize the action), so it is not read again. */
  retryFailed(job: string | Job): Promise<{ job: Job; requeued: number }> {
    return this.control.retryFailed(job);
  }

  recoverExclusive(jobId: string): Promise<Job> {
    return this.control.recoverExclusive(jobId);
  }

  /** The job's config and state: one read, no counters. */
  async job(jobId: string): Promise<Job> {
    const job = await this.ctx.store.getJob(jobId);
    if (!job) throw new JobError('job_not_found', `No job ${jobId}.`);
    return job;
  }

  /** How far the job's rows got: counts, spent and reserved money. */
  counts(jobId: string): Promise<JobCounts> {
    return this.ctx.store.counts(jobId);
  }

  /** The job and its counters, each read once. */
  async status(jobId: string): Promise<{ job: Job; counts: JobCounts }> {
    const job = await this.job(jobId);
    return { job, counts: await this.counts(jobId) };
  }

  /** A cheap job's batches that still hold rows, oldest first; none when this engine has no Batch API client. */
  async openBatches(jobId: string): Promise<BatchRecord[]> {
    return (await this.ctx.deps.batch?.store.listBatches(jobId, { open: true })) ?? [];
  }

  progress(jobId: string, options?: ProgressOptions): AsyncGenerator<Progress> {
    return progressStream(this.ctx.store, this.ctx.clock, jobId, options);
  }
}

export type { EngineDeps } from './context.js';
export type { Estimate, EstimateRequest, StartJobRequest } from './job-starter.js';
export type { Progress, ProgressOptions } from './progress.js';
export type { EngineOptions } from './options.js';
export type { SourceRow } from './row-intake.js';
