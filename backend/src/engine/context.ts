// What every engine handler shares: the ports, the options and the per-process limiters.
import type { Clock, Random } from '../ports/clock.js';
import type { Job } from '../ports/domain.js';
import type { Logger } from '../ports/logger.js';
import type { ModelClient } from '../ports/model.js';
import type { Pages } from '../ports/pages.js';
import type { Search } from '../ports/search.js';
import type { Queue } from '../ports/queue.js';
import type { SinkResolver } from '../ports/sheet.js';
import type { Store } from '../ports/store.js';
import type { CheapModeDeps } from './batch/cheap-options.js';
import { AimdWindow } from './aimd.js';
import { autoWindow, CallStats } from './in-flight.js';
import { AUTO_WORKERS } from './job-config.js';
import { RateGate } from './rate-gate.js';
import { JobPlanCache } from './job-plan.js';
import type { ResolvedEngineOptions } from './options.js';
import { RateLimiter } from './rate-limiter.js';
import { ResearchToolCache } from './research/tool-cache.js';
import { pumpTask, rowTask, type PumpCause } from './task-names.js';
import { UsageCeilings } from './usage-ceiling.js';

export interface EngineDeps {
  readonly store: Store;
  readonly queue: Queue;
  readonly model: ModelClient;
  readonly clock: Clock;
  readonly random?: Random;
  readonly sinks?: SinkResolver;
  readonly log?: Logger;
  /** Research mode's web search and page reader; a research job's rows fail as invalid_request without them. */
  readonly search?: Search;
  readonly pages?: Pages;
  /** Cheap mode's Batch API client and batch records; a cheap job pauses without them. */
  readonly batch?: CheapModeDeps;
}

type OptionalDeps = 'sinks' | 'search' | 'pages' | 'batch';

export class EngineContext {
  readonly plans: JobPlanCache;
  readonly limiter = new RateLimiter();
  /** Mean latency and tokens of each model's calls in this process: what auto windows are sized from. */
  readonly callStats = new CallStats();
  /** Rows waiting for the limiter, in line (one timer per model), so they leave paced however late a timer fires. */
  readonly rateGate: RateGate;
  readonly ceilings: UsageCeilings;
  /** Research mode's search and page cache, shared by every row of this process (single flight is per process). */
  readonly toolCache: ResearchToolCache;
  private readonly windows = new Map<string, AimdWindow>();
  /** Each job's window size at this process's last top-up: a finished row also asks for what it grew by since. */
  private readonly lastTargets = new Map<string, number>();
  /** In-flight model calls per job in this process, so a cancel can abort them. */
  private readonly calls = new Map<string, Set<AbortController>>();

  constructor(
    readonly deps: Required<Omit<EngineDeps, OptionalDeps>> & Pick<EngineDeps, OptionalDeps>,
    readonly options: ResolvedEngineOptions,
  ) {
    this.plans = new JobPlanCache(options.prices);
    this.rateGate = new RateGate(this.limiter, deps.clock, (ms, fn) => this.timer(ms, fn));
    this.ceilings = new UsageCeilings(deps.store);
    this.toolCache = new ResearchToolCache({ store: deps.store, clock: deps.clock, log: deps.log, ttlMs: options.researchCacheTtlMs });
  }

  get store(): Store {
    return this.deps.store;
  }
  get clock(): Clock {
    return this.deps.clock;
  }
  get log(): Logger {
    return this.deps.log;
  }

  /**
   * This process's adaptive window for a job (AIMD state is per process; the store enforces the global cap). Its
   * ceiling is the job's `workers`, or for an auto job what the model's rate limits can serve (`autoCeiling`).
   */
  windowFor(job: Job): AimdWindow {
    let w = this.windows.get(job.id);
    if (!w) {
      w = new AimdWindow(job.config.workers === AUTO_WORKERS ? this.autoCeiling(job.config.model) : job.config.workers);
      this.windows.set(job.id, w);
    }
    return w;
  }

  /** An auto job's ceiling now: Little's law over the limiter's known rates and a row's observed time in its slot, up to maxInFlight. */
  autoCeiling(model: string): number {
    return autoWindow({
      ...this.limiter.rates(model),
      tokensPerCall: this.callStats.tokensPerCall(model),
      latencyMs: this.callStats.latencyMs(model),
      stepsMs: this.callStats.stepsMs(model),
      cap: this.options.limits.maxInFlight,
    });
  }

  /** A call answered: its latency and tokens size auto windows, and its success grows the job's window back. */
  onCallAnswered(job: Job, latencyMs: number, tokens: number): void {
    this.callStats.observe(job.config.model, latencyMs, tokens);
    this.windowFor(job).onSuccess();
  }

  /** A row finished after `stepsMs` in its slot besides its calls and its rate wait: auto windows cover that time too. */
  onRowSteps(job: Job, stepsMs: number): void {
    this.callStats.observeSteps(job.config.model, Math.max(0, stepsMs));
  }

  /** A call met a 429: halve the job's window once per burst (answers to calls sent before the cut arrive up to a latency later). */
  onCallRateLimited(job: Job, now: number): void {
    this.windowFor(job).onRateLimited(now, this.callStats.latencyMs(job.config.model));
  }

  /** Register an in-flight call; returns the function that forgets it when the call settles. */
  trackCall(jobId: string, controller: AbortController): () => void {
    let set = this.calls.get(jobId);
    if (!set) {
      set = new Set();
      this.calls.set(jobId, set);
    }
    set.add(controller);
    return () => {
      set.delete(controller);
      if (set.size === 0 && this.calls.get(jobId) === set) this.calls.delete(jobId);
    };
  }

  /** Abort every call of the job in flight in this process (cancel, Ctrl-C). */
  abortJob(jobId: string, reason: Error): void {
    for (const controller of this.calls.get(jobId) ?? []) controller.abort(reason);
  }

  /** Run `fn` after `ms`; the returned function cancels it. */
  timer(ms: number, fn: () => void): () => void {
    const { clock } = this.deps;
    if (clock.setTimer) return clock.setTimer(ms, fn);
    const stop = new AbortController();
    clock.sleep(ms, stop.signal).then(fn, () => undefined);
    return () => stop.abort();
  }

  forgetJob(jobId: string): void {
    this.windows.delete(jobId);
    this.lastTargets.delete(jobId);
  }

  /**
   * Fill the job's window: give queued rows slots up to the AIMD window and enqueue their tasks. A start, a resume and
   * the pump ask for the whole window. A finished row (`freedSlots` 1) asks for its own slot plus what the window grew
   * by since this process last topped up: the store then looks at a few candidate rows, not a window's worth, on every
   * one of the hundreds of finishes a second (on Firestore that read was ~10 documents a row, the most of any step),
   * and the pump's next tick still fills whatever room other processes left.
   */
  async topUp(job: Job, freedSlots?: number): Promise<number> {
    const window = this.windowFor(job);
    // An auto job's ceiling follows what was learned since (limits from headers, latency), in every process that tops up.
    if (job.config.workers === AUTO_WORKERS) window.setCeiling(this.autoCeiling(job.config.model));
    const target = window.size;
    const grew = Math.max(0, target - (this.lastTargets.get(job.id) ?? target));
    this.lastTargets.set(job.id, target);
    const limit = freedSlots === undefined ? target : Math.min(target, freedSlots + grew);
    const now = this.clock.now();
    const rows = await this.store.dispatchRows({ jobId: job.id, maxInFlight: target, limit, now });
    if (rows.length > 0) {
      await this.deps.queue.enqueue(rows.map((r) => rowTask(job.id, r.rowId, r.dispatchSeq, r.nextAttemptAt > now ? r.nextAttemptAt : undefined)));
    }
    return rows.length;
  }

  /**
   * The top-up right after a start, resume, re-run or recovery. The job already runs and the caller kicks its pump next,
   * so a dispatch the store could not make now (on the emulator ten starts at once ran one out of retries) is left to
   * that pump instead of failing an action that has already happened.
   */
  async topUpOrLeaveToPump(job: Job): Promise<void> {
    try {
      await this.topUp(job);
    } catch (error) {
      this.log.warn({ jobId: job.id, error: error instanceof Error ? error.message : String(error) }, 'the first slots were not given out; the pump gives them');
    }
  }

  async schedulePump(jobId: string, delayMs: number, cause: PumpCause = 'tick'): Promise<void> {
    const at = this.clock.now() + delayMs;
    await this.deps.queue.enqueue([pumpTask(jobId, at, this.options.pumpIntervalMs, cause)]);
  }
}
