// Starting a job and estimating one: check the parsed config's budget and price, check the model once, store the rows, open the window.
import { randomBytes } from 'node:crypto';
import { targetKey, type Job, type JobConfig, type JobTarget, type NewRow } from '../ports/domain.js';
import type { EngineContext } from './context.js';
import { RowfillError } from '../kernel/errors.js';
import { configHash, unknownPriceError } from './job-config.js';
import { JobError } from '../kernel/job-errors.js';
import { buildJobPlan } from './job-plan.js';
import { batchPrice, costOf } from './pricing.js';
import { batchWorstCase } from './batch/batch-cost.js';
import { intakeRows, type RowsSource, type SourceRow } from './row-intake.js';

export interface StartJobRequest {
  /** Defaults to a fresh random id. */
  readonly jobId?: string;
  readonly owner: string;
  /** Where the rows come from and the results go; its `targetKey` is the skip-unchanged registry's key. */
  readonly target: JobTarget;
  /** Already parsed at the edge (engine/job-config.ts's parseJobConfig, with the caller's caps). */
  readonly config: JobConfig;
  readonly rows: RowsSource;
}

/** What an estimate needs: no owner or id, since nothing is stored. */
export type EstimateRequest = Pick<StartJobRequest, 'target' | 'config' | 'rows'>;

export interface Estimate {
  readonly model: string;
  readonly rows: number;
  /** Rows that will call the model (not skipped, not invalid, not served by the cache or a duplicate). */
  readonly toRun: number;
  readonly skippedUnchanged: number;
  readonly invalid: number;
  /** Rows whose inputs repeat an earlier row or a cached result: computed once. */
  readonly reused: number;
  /** Expected spend range: typical answers (low) to long answers (high). */
  readonly costLowUsd: number;
  readonly costHighUsd: number;
  /** What the engine reserves in the worst case (every answer at max length, plus one repair each). */
  readonly worstCaseUsd: number;
  /**
   * The same three in cheap mode (the Batch API, at batch prices; a cheap row's worst case holds one repair at the
   * full price), so a front end can show both prices whichever mode the config names.
   */
  readonly cheapCostLowUsd: number;
  readonly cheapCostHighUsd: number;
  readonly cheapWorstCaseUsd: number;
  readonly priced: boolean;
  readonly simulated: boolean;
}

/** The source without its first `count` rows. */
async function* passOver(rows: RowsSource, count: number): AsyncGenerator<SourceRow> {
  let seen = 0;
  for await (const row of rows) {
    if (seen++ < count) continue;
    yield row;
  }
}

/** The batches again, with the one already read put back in front. */
async function* withFirst(first: IteratorResult<NewRow[]>, rest: AsyncGenerator<NewRow[]>): AsyncGenerator<NewRow[]> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}

export function newJobId(): string {
  return `job_${randomBytes(6).toString('hex')}`;
}

export class JobStarter {
  constructor(private readonly ctx: EngineContext) {}

  /** What this engine refuses of a well-formed config: no budget where one is required, a budget with no price. */
  private checkConfig(config: JobConfig): JobConfig {
    if (config.budgetUsd === null && this.ctx.options.requireBudget) throw new JobError('invalid_config', 'budgetUsd: a budget is required');
    const plan = buildJobPlan(config, this.ctx.options.prices);
    if (config.budgetUsd !== null && !plan.price) {
      const refusal = unknownPriceError(config.model);
      // The cause lets a front end add its own way out (the CLI: ROWFILL_PRICES) to the sidebar's wording.
      throw new JobError('invalid_config', refusal.message, { cause: refusal });
    }
    return config;
  }

  private async validateModel(model: string): Promise<void> {
    if (!this.ctx.options.validateModel) return;
    try {
      await this.ctx.deps.model.validate(model);
    } catch (error) {
      if (error instanceof RowfillError) throw new JobError('model_unavailable', error.message, { cause: error });
      throw error;
    }
  }

  async start(request: StartJobRequest): Promise<Job> {
    const { store, clock } = this.ctx;
    const config = this.checkConfig(request.config);
    const jobId = request.jobId ?? newJobId();
    const hash = configHash(config);
    // The key check is a round trip: it is sent first and the first batch of rows is read and prepared while it is in
    // flight, but nothing is stored until it has passed, so a refused key or model still leaves no job behind.
    const validation = this.validateModel(config.model);
    validation.catch(() => undefined);
    const batches = this.intake(request.rows, request.target, config, hash, 0);
    let first: IteratorResult<NewRow[]>;
    try {
      first = await batches.next();
    } catch (error) {
      await validation;
      throw error;
    }
    try {
      await validation;
    } catch (error) {
      await batches.return(undefined);
      throw error;
    }
    await store.createJob(
      { id: jobId, owner: request.owner, target: request.target, config, configHash: hash, budgetUsd: config.budgetUsd, createdAt: clock.now(), simulated: this.ctx.deps.model.simulated },
      clock.now(),
    );
    return this.storeRowsAndOpen(jobId, config, withFirst(first, batches), 0);
  }

  /**
   * Finishes a job whose intake was cut short (the process died while it was `preparing`): `rows` is the same source
   * again. Each stored batch is atomic and batches go in source order, so the rows already stored are exactly the
   * first `total` the source yields; those are passed over and the rest are stored, so every row is there once.
   */
  async finishIntake(jobId: string, rows: RowsSource): Promise<Job> {
    const job = await this.ctx.store.getJob(jobId);
    if (!job) throw new JobError('job_not_found', `No job ${jobId}.`);
    if (job.status !== 'preparing') throw new JobError('job_state', `Job ${jobId} is ${job.status}; only a job still preparing has rows left to read.`);
    const stored = (await this.ctx.store.counts(jobId)).total;
    return this.storeRowsAndOpen(jobId, job.config, this.intake(rows, job.target, job.config, job.configHash, stored), stored);
  }

  private intake(rows: RowsSource, target: JobTarget, config: JobConfig, hash: string, alreadyStored: number): AsyncGenerator<NewRow[]> {
    return intakeRows(passOver(rows, alreadyStored), { store: this.ctx.store, registryKey: targetKey(target), config, configHash: hash, maxCellChars: this.ctx.options.maxCellChars });
  }

  private async storeRowsAndOpen(jobId: string, config: JobConfig, batches: AsyncIterable<NewRow[]>, alreadyStored: number): Promise<Job> {
    const { store, clock } = this.ctx;
    let total = alreadyStored;
    for await (const batch of batches) {
      total += batch.length;
      if (total > this.ctx.options.maxRowsPerJob) {
        await store.transitionJob(jobId, { to: 'cancelled', from: ['preparing'], message: 'too many rows', now: clock.now() });
        throw new JobError('too_many_rows', `A job may hold at most ${this.ctx.options.maxRowsPerJob} rows.`);
      }
      await store.addRows(jobId, batch);
    }
    if (total === 0) {
      await store.transitionJob(jobId, { to: 'cancelled', from: ['preparing'], message: 'no rows', now: clock.now() });
      throw new JobError('no_rows', 'No rows were selected.');
    }
    const job = await store.transitionJob(jobId, { to: 'running', from: ['preparing'], now: clock.now() });
    if (!job) throw new JobError('job_state', `Job ${jobId} changed state while it was being prepared.`);
    if (config.rpm || config.tpm) this.ctx.limiter.configure(config.model, { rpm: config.rpm, tpm: config.tpm }, clock.now());
    await this.ctx.topUpOrLeaveToPump(job);
    await this.ctx.schedulePump(jobId, 0, 'kick');
    this.ctx.log.info({ jobId, rows: total, model: config.model, workers: config.workers, budgetUsd: config.budgetUsd }, alreadyStored > 0 ? 'job intake finished' : 'job started');
    return job;
  }

  /** Everything `start` would decide, without storing or spending anything. */
  async estimate(request: EstimateRequest): Promise<Estimate> {
    const { store, clock } = this.ctx;
    const config = this.checkConfig(request.config);
    const plan = buildJobPlan(config, this.ctx.options.prices);
    const hash = configHash(config);
    const seen = new Set<string>();
    let rows = 0, toRun = 0, skipped = 0, invalid = 0, reused = 0, low = 0, high = 0, worst = 0;
    let cheapLow = 0, cheapHigh = 0, cheapWorst = 0;
    const cheapPrice = plan.price ? batchPrice(plan.price) : undefined;
    for await (const batch of intakeRows(request.rows, { store, registryKey: targetKey(request.target), config, configHash: hash, maxCellChars: this.ctx.options.maxCellChars })) {
      for (const row of batch) {
        rows++;
        if (row.status === 'skipped') { skipped++; continue; }
        if (row.status === 'failed') { invalid++; continue; }
        const key = plan.cacheKey(row.inputHash);
        if (seen.has(key) || (!config.force && (await store.getCache(key, clock.now())))) { reused++; continue; }
        seen.add(key);
        toRun++;
        if (!plan.price) continue;
        const prompt = plan.promptTokens(row.inputs);
        const typical = { inputTokens: prompt, cachedInputTokens: 0, outputTokens: plan.expectedOutputTokens };
        const long = { inputTokens: Math.ceil(prompt * 1.1), cachedInputTokens: 0, outputTokens: Math.min(config.maxOutputTokens, plan.expectedOutputTokens * 3) };
        low += costOf(typical, plan.price);
        high += costOf(long, plan.price);
        worst += plan.worstCaseCost(prompt);
        if (cheapPrice) {
          cheapLow += costOf(typical, cheapPrice);
          cheapHigh += costOf(long, cheapPrice);
          cheapWorst += batchWorstCase(prompt, config.maxOutputTokens, plan.price);
        }
      }
    }
    return { model: config.model, rows, toRun, skippedUnchanged: skipped, invalid, reused, costLowUsd: low, costHighUsd: high, worstCaseUsd: worst, cheapCostLowUsd: cheapLow, cheapCostHighUsd: cheapHigh, cheapWorstCaseUsd: cheapWorst, priced: plan.price !== undefined, simulated: this.ctx.deps.model.simulated };
  }
}
