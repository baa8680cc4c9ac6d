// The row task: claim one row, call the model within budget and rate limits, record the outcome, pass the slot on.
import type { Job, Outputs, Row, Usage } from '../ports/domain.js';
import { targetKey, ZERO_USAGE } from '../ports/domain.js';
import type { TaskOutcome, TaskPayload } from '../ports/queue.js';
import type { FinishRequest, RowOutcome } from '../ports/store.js';
import { attemptTimeout, backoffDelay } from '../kernel/backoff.js';
import type { EngineContext } from './context.js';
import { InvalidRequestError, RateLimitError, type RowfillError } from '../kernel/errors.js';
import type { JobPlan } from './job-plan.js';
import { isLateRow, lateRetryMessage } from './batch/late-rows.js';
import { addUsage, costOf } from './pricing.js';
import { failureOf, failureOutcome, pauseReasonOf, RowAnswers, SpentFailure, type Answer } from './row-answer.js';
import type { ResearchPlan } from './research/research-plan.js';
import { researchLeaseMs, researchRow } from './research/research-row.js';

const OK: TaskOutcome = { status: 'ok' };
const BUDGET_RECHECK_MS = 250;
/** How often a row waiting for an identical request in flight looks again (see holdKey). */
const HOLD_WAIT_MIN_MS = 50;
const HOLD_WAIT_MAX_MS = 1000;
/** What one search or page read may take at most, retries included, for a research row's lease. */
const RESEARCH_TOOL_CALL_MS = 30_000;

/** The store's single-flight hold on a cache key, taken by this task run. */
interface CacheHold {
  readonly key: string;
  readonly holder: string;
}

/** When this delivery of a row's task began, and how long it waited for the rate limiter: what its slot held besides calls. */
interface SlotTimes {
  readonly deliveredAt: number;
  readonly rateWaitMs: number;
}

/** What a claimed row's calls may use: the rate limiter's token estimate and the USD reserved for the row. */
interface RowBudget {
  readonly estimate: number;
  readonly reserveUsd: number;
}

type Flight =
  | { readonly kind: 'cached'; readonly outputs: Outputs }
  | { readonly kind: 'busy'; readonly retryAfterMs: number }
  /** Compute the row; `hold` is undefined when no cache is kept (nothing to hold). */
  | { readonly kind: 'held'; readonly hold: CacheHold | undefined };

export class RowRunner {
  /** The call, validation, repair and overrun check every row shares, fast or cheap (row-answer.ts). */
  private readonly answers: RowAnswers;

  constructor(private readonly ctx: EngineContext) {
    this.answers = new RowAnswers(ctx);
  }

  async run(payload: TaskPayload): Promise<TaskOutcome> {
    const { store, clock } = this.ctx;
    const { jobId, rowId, dispatchSeq } = payload;
    if (rowId === undefined || dispatchSeq === undefined) return OK;
    const deliveredAt = clock.now();
    const [job, row] = await Promise.all([store.getJob(jobId), store.getRow(jobId, rowId)]);
    if (!job || !row || job.status !== 'running') return OK;
    // A cheap job's rows go in batches (engine/batch); a task a top-up gave one claims nothing and its slot is taken back.
    // Its late rows (an expired batch's unanswered ones, when the job finishes them fast) run here as fast rows.
    if (job.config.mode === 'cheap' && !isLateRow(job, row)) return OK;
    if (row.status !== 'queued' || !row.dispatched || row.dispatchSeq !== dispatchSeq) return OK;
    const now = clock.now();
    if (row.nextAttemptAt > now) return { status: 'retry', retryAfterMs: row.nextAttemptAt - now, reason: 'not yet due' };

    const plan = this.ctx.plans.get(job);
    const cacheKey = plan.cacheKey(row.inputHash);
    const flight = await this.holdKey(job, row, cacheKey, now);
    if (flight.kind === 'cached') return this.finishFromCache(job, row, flight.outputs);
    if (flight.kind === 'busy') return { status: 'retry', retryAfterMs: flight.retryAfterMs, reason: 'an identical request is in flight' };
    try {
      return await this.claimAndAttempt(job, plan, row, cacheKey, flight.hold, deliveredAt);
    } catch (error) {
      // A hold left behind would make identical rows wait for its expiry; releasing one already released is a no-op.
      if (flight.hold) await store.releaseCacheHold(flight.hold.key, flight.hold.holder).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Single flight per cache key, across processes: the stored answer, or the store's hold on the key for this task, or
   * how long to wait for the row that holds it. A forced job accepts only answers stored since it began.
   */
  private async holdKey(job: Job, row: Row, cacheKey: string, now: number): Promise<Flight> {
    const { store } = this.ctx;
    const ttl = this.ctx.options.cacheTtlMs;
    if (ttl === 0) {
      // No answer will be stored, so there is nothing to wait for: only an older entry can serve the row.
      const cached = job.config.force ? undefined : await store.getCache(cacheKey, now);
      return cached ? { kind: 'cached', outputs: cached.outputs } : { kind: 'held', hold: undefined };
    }
    // Per row: after a crash the row, run again, takes its own hold back at once instead of waiting for it to lapse.
    // Two deliveries of one task then share the hold; the claim lets only one of them call (see claimAndAttempt).
    const holder = `${job.id}\u0000${row.rowId}`;
    const found = await store.holdCacheKey({
      key: cacheKey,
      holder,
      now,
      holdMs: this.leaseMs(job) + this.ctx.options.inlineRateWaitMs,
      ...(job.config.force ? { minExpiresAt: job.createdAt + ttl } : {}),
    });
    if (found.kind === 'cached') return { kind: 'cached', outputs: found.entry.outputs };
    if (found.kind === 'held') return { kind: 'held', hold: { key: cacheKey, holder } };
    // Poll often while the holder is young, less as it takes longer; never past the moment its hold lapses.
    const wait = Math.min(HOLD_WAIT_MAX_MS, Math.max(HOLD_WAIT_MIN_MS, (now - found.heldSince) / 2), Math.max(HOLD_WAIT_MIN_MS, found.heldUntil - now));
    return { kind: 'busy', retryAfterMs: Math.round(wait) };
  }

  private leaseMs(job: Job): number {
    const research = this.ctx.plans.get(job).research;
    if (research) return researchLeaseMs(research, job.config.attemptTimeoutCapMs, RESEARCH_TOOL_CALL_MS, this.ctx.options.leaseMarginMs);
    return 2 * job.config.attemptTimeoutCapMs + this.ctx.options.leaseMarginMs;
  }

  private async claimAndAttempt(job: Job, plan: JobPlan, row: Row, cacheKey: string, hold: CacheHold | undefined, deliveredAt: number): Promise<TaskOutcome> {
    const { store, clock } = this.ctx;
    const jobId = job.id;
    const release = async (): Promise<void> => {
      if (hold) await store.releaseCacheHold(hold.key, hold.holder);
    };
    const promptTokens = plan.promptTokens(row.inputs);
    const estimate = promptTokens + plan.expectedOutputTokens;
    // The worst case per call is the job's token cap, or more once this model's provider was seen to exceed it.
    const reserveUsd = plan.worstCaseCost(promptTokens, await this.ctx.ceilings.outputTokens(job, clock.now()));
    const waitStart = clock.now();
    const waited = await this.waitForRate(job.config.model, estimate);
    const slot: SlotTimes = { deliveredAt, rateWaitMs: clock.now() - waitStart };
    if (waited > 0) {
      await release();
      return { status: 'retry', retryAfterMs: waited, reason: 'rate limit (client side)' };
    }

    const claim = await store.claimRow({
      jobId,
      rowId: row.rowId,
      dispatchSeq: row.dispatchSeq,
      now: clock.now(),
      leaseMs: this.leaseMs(job),
      reserveUsd,
    });
    if (!claim.ok) {
      // Not claimable: another delivery of this row has it, and its finish releases the shared hold.
      if (claim.reason !== 'not_claimable') await release();
      this.ctx.limiter.refund(job.config.model, estimate, clock.now());
      if (claim.reason === 'budget') {
        const [current, money] = await Promise.all([store.getJob(jobId), store.counts(jobId)]);
        const need = reserveUsd;
        const left = ((current ?? job).budgetUsd ?? 0) - money.spentUsd;
        // Rows in flight hand back the unused part of their reservations: wait for them before giving up. And if they
        // finished between the refusal and this read (a slow store), the row now fits: try again at once.
        if (money.reservedUsd > 0) return { status: 'retry', retryAfterMs: BUDGET_RECHECK_MS, reason: 'budget reserved by rows in flight' };
        if (left >= need) return { status: 'retry', retryAfterMs: 0, reason: 'budget freed while claiming' };
        await this.pause(job, 'budget', `The budget is used up: the next row may cost up to $${need.toFixed(4)} and $${Math.max(0, left).toFixed(4)} is left.`);
      }
      if (claim.reason === 'not_yet') return { status: 'retry', retryAfterMs: Math.max(0, claim.retryAt - clock.now()) };
      return OK;
    }
    return this.attempt(job, plan, claim.row, claim.leaseToken, { estimate, reserveUsd }, cacheKey, hold, slot);
  }

  /** Wait in line for the rate limiter up to `inlineRateWaitMs`; returns 0 when the call may go, else when to ask again. */
  private async waitForRate(model: string, tokens: number): Promise<number> {
    const answer = await this.ctx.rateGate.wait(model, tokens, this.ctx.options.inlineRateWaitMs);
    return answer.ok ? 0 : answer.retryAfterMs;
  }

  private async attempt(job: Job, plan: JobPlan, row: Row, leaseToken: number, budget: RowBudget, cacheKey: string, hold: CacheHold | undefined, slot: SlotTimes): Promise<TaskOutcome> {
    const { clock } = this.ctx;
    const timeoutMs = attemptTimeout(job.config.attemptTimeoutMs, job.config.attemptTimeoutCapMs, row.attempt);
    let outcome: RowOutcome;
    let result: TaskOutcome = OK;
    let pauseError: RowfillError | undefined;
    let overrun: string | undefined;
    const answerStart = clock.now();
    try {
      const answer = await this.answer(job, plan, row, timeoutMs, budget);
      overrun = answer.overrun;
      outcome = { kind: 'done', outputs: answer.outputs, cached: false, usage: answer.usage, costUsd: answer.costUsd };
    } catch (thrown) {
      const failure = failureOf(thrown, budget.reserveUsd);
      overrun = failure.overrun;
      ({ outcome, pause: pauseError } = failureOutcome(job, row, failure, (error) => {
        const delay = backoffDelay(this.ctx.options.backoff, row.attempt, this.ctx.deps.random, error.retryAfterMs);
        result = { status: 'retry', retryAfterMs: delay, slowDown: error instanceof RateLimitError, reason: error.errorClass };
        return { nextAttemptAt: clock.now() + delay, message: isLateRow(job, row) ? lateRetryMessage(error.message) : error.message };
      }));
      this.ctx.log.debug({ jobId: job.id, rowId: row.rowId, attempt: row.attempt, errorClass: failure.error.errorClass }, failure.error.message);
    }

    const answerMs = clock.now() - answerStart;
    const remember = outcome.kind === 'done' ? this.rememberFor(job, row, cacheKey, outcome.outputs) : undefined;
    const recorded = await this.ctx.store.finishRow({ jobId: job.id, rowId: row.rowId, leaseToken, outcome, now: clock.now(), ...(remember ? { remember } : {}), ...(hold ? { cacheHold: hold } : {}) });
    // A stale lease: the row runs again elsewhere under the same (per-row) hold, or will soon; that run releases it.
    if (!recorded) return OK;
    // The slot is released: what it held besides the calls and the rate wait sizes auto windows (in-flight.ts).
    this.ctx.onRowSteps(job, clock.now() - slot.deliveredAt - slot.rateWaitMs - answerMs);
    if (pauseError) {
      await this.pause(job, pauseReasonOf(pauseError), pauseError.message);
      return OK;
    }
    if (overrun) {
      await this.pause(job, 'budget', overrun);
      return OK;
    }
    if (outcome.kind === 'failed') await this.checkFailureRate(job);
    // A cheap job's slots are its batches': its pump, not a top-up, gives out its rows.
    if ((outcome.kind === 'done' || outcome.kind === 'failed') && job.config.mode !== 'cheap') await this.ctx.topUp(job, 1);
    return result;
  }

  /** Call the model, then validate and repair as every row does (row-answer.ts) — unless the row is over its reservation. */
  private async answer(job: Job, plan: JobPlan, row: Row, timeoutMs: number, budget: RowBudget): Promise<Answer> {
    if (plan.research) return this.researchAnswer(job, plan, plan.research, row, timeoutMs, budget);
    const messages = plan.messages(row.inputs);
    const first = await this.answers.call(job, plan, messages, timeoutMs, budget.estimate);
    return this.answers.complete(job, plan, messages, first, { ...budget, timeoutMs, cost: (call, repair) => this.cost(plan, repair ? addUsage(call, repair) : call) });
  }

  /** Research mode: the bounded tool loop (engine/research), its spend (model usage plus billed searches) and its sources. */
  private async researchAnswer(job: Job, plan: JobPlan, research: ResearchPlan, row: Row, timeoutMs: number, budget: RowBudget): Promise<Answer> {
    const { search, pages } = this.ctx.deps;
    if (!search || !pages) throw new InvalidRequestError('Research mode needs a web search service: set TAVILY_API_KEY, or run with the local stand-ins.');
    const controller = new AbortController();
    // A cancel aborts the row's searches and page reads as it aborts its model calls.
    const untrack = this.ctx.trackCall(job.id, controller);
    let calls = 0;
    try {
      const result = await researchRow(research, row.inputs, {
        signal: controller.signal,
        callModel: async (turn) => {
          // The first call's rate was acquired before the claim; every later turn waits its turn like a repair does.
          const answer = await this.answers.call(job, plan, [...turn.messages], timeoutMs, budget.estimate, calls++ > 0, turn);
          if (answer.usage.outputTokens > job.config.maxOutputTokens) await this.ctx.ceilings.note(job.config.model, answer.usage.outputTokens, this.ctx.clock.now());
          return answer;
        },
        // Through the cache: a search or page another row or job already got is reused, and not billed again.
        search: (request) => this.ctx.toolCache.search((r) => search.search(r), search.simulated, request),
        openPage: (request) => this.ctx.toolCache.openPage((r) => pages.open(r), request),
      });
      if (!result.ok) throw new SpentFailure(result.error, result.usage, result.costUsd);
      const overrun =
        result.costUsd > budget.reserveUsd + 1e-9
          ? `The research row cost $${result.costUsd.toFixed(4)}, more than the $${budget.reserveUsd.toFixed(4)} reserved for its worst case (the provider reported more tokens than the cap). Paused so the budget holds.`
          : undefined;
      return { outputs: result.outputs, usage: result.usage, costUsd: result.costUsd, overrun };
    } finally {
      untrack();
    }
  }

  private cost(plan: JobPlan, usage: Usage): number {
    return plan.price ? costOf(usage, plan.price) : 0;
  }

  private async finishFromCache(job: Job, row: Row, outputs: Outputs): Promise<TaskOutcome> {
    const { store, clock } = this.ctx;
    const claim = await store.claimRow({ jobId: job.id, rowId: row.rowId, dispatchSeq: row.dispatchSeq, now: clock.now(), leaseMs: 60_000, reserveUsd: 0 });
    if (!claim.ok) return OK;
    const outcome: RowOutcome = { kind: 'done', outputs, cached: true, usage: ZERO_USAGE, costUsd: 0 };
    const remember = this.rememberFor(job, row, undefined, outputs);
    if (await store.finishRow({ jobId: job.id, rowId: row.rowId, leaseToken: claim.leaseToken, outcome, now: clock.now(), remember })) {
      await this.ctx.topUp(job, 1);
    }
    return OK;
  }

  /** What a success feeds: the cross-job cache and the skip-unchanged registry, stored with the row's outcome. */
  private rememberFor(job: Job, row: Row, cacheKey: string | undefined, outputs: Outputs): NonNullable<FinishRequest['remember']> {
    const now = this.ctx.clock.now();
    const cache = cacheKey && this.ctx.options.cacheTtlMs > 0 ? { key: cacheKey, entry: { outputs, expiresAt: now + this.ctx.options.cacheTtlMs } } : undefined;
    return { ...(cache ? { cache } : {}), registry: { sheetKey: targetKey(job.target), rowId: row.rowId, inputHash: row.inputHash, configHash: job.configHash, outputs, updatedAt: now } };
  }

  /** Returns the job as this check paused it, or undefined when it did not (too few failures, or not running). */
  async checkFailureRate(job: Job): Promise<Job | undefined> {
    const window = this.ctx.options.failureWindow;
    const recent = await this.ctx.store.recentOutcomes(job.id, window, job.runningSince);
    const failed = recent.filter((s) => s === 'failed').length;
    if (failed <= window / 2) return undefined;
    return this.pause(job, 'failure_rate', `${failed} of the last ${recent.length} finished rows failed; paused so nothing more is spent. Check the errors, then resume or re-run failed rows.`);
  }

  private async pause(job: Job, reason: 'budget' | 'auth' | 'quota' | 'failure_rate', message: string): Promise<Job | undefined> {
    const paused = await this.ctx.store.transitionJob(job.id, { to: 'paused', from: ['running'], pauseReason: reason, message, now: this.ctx.clock.now() });
    if (paused) this.ctx.log.warn({ jobId: job.id, reason }, `job paused: ${message}`);
    return paused;
  }
}
