// Applies an ended batch's results: each row it carries finishes through the store's finishRow, as a fast row does,
// its answer validated, repaired and checked against its reservation by the fast rows' own code (row-answer.ts).
import type { BatchInfo, BatchRowResult } from '../../ports/batch.js';
import type { BatchRecord, BatchRowEntry } from '../../ports/batch-store.js';
import { targetKey, ZERO_USAGE, type Job, type Outputs, type Row, type Usage } from '../../ports/domain.js';
import type { FinishRequest, RowOutcome } from '../../ports/store.js';
import { BudgetError, InvalidRequestError, type RowfillError } from '../../kernel/errors.js';
import type { EngineContext } from '../context.js';
import type { JobPlan } from '../job-plan.js';
import { costOf } from '../pricing.js';
import { failureOf, failureOutcome, RowAnswers, type Failure } from '../row-answer.js';
import { batchCost } from './batch-cost.js';
import { finishesLateRowsFast, LATE_ROW_MESSAGE } from './late-rows.js';
import { rowTask } from '../task-names.js';
import type { CheapModeDeps } from './cheap-options.js';
import { refusedForTokens } from './token-limit.js';

/**
 * What applying a batch found: how many rows it finished or sent back, and the error that should pause the job, if
 * any (a BudgetError naming the reported tokens when a row cost more than its reservation, as in fast mode).
 */
export interface ApplySummary {
  readonly finished: number;
  readonly requeued: number;
  readonly pause: RowfillError | undefined;
}

/**
 * Rows of a batch finished at once. Each finish is a store step (on Firestore a read and a commit a round trip away);
 * steps in flight together share commits (decision 46), so a 50,000-row batch applies in minutes, within the batch's
 * step hold, instead of one round trip after another.
 */
const APPLY_CONCURRENCY = 32;

/**
 * How many of a batch's repairs call the model at once: one until the rate limiter knows the model's limits (a batch's
 * answers carry no rate headers; the first repair's answer teaches them), then the job's workers. Without it, the
 * rows applied at once would send their repairs together into a limit nobody has seen yet, and meet 429s.
 */
class RepairTurns {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly room: () => number) {}

  async run<T>(call: () => Promise<T>): Promise<T> {
    while (this.active >= this.room()) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await call();
    } finally {
      this.active--;
      for (const wake of this.waiting.splice(0)) wake();
    }
  }
}

/** One row's part in applying a batch, and the error its job should pause with, if any. */
interface RowApplied {
  readonly kind: 'finished' | 'requeued' | 'skipped';
  readonly pause?: RowfillError;
}

export class BatchApplier {
  private readonly answers: RowAnswers;

  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: CheapModeDeps,
  ) {
    this.answers = new RowAnswers(ctx);
  }

  /**
   * Streams the output and error files (never held whole) and finishes each carried row once; rows no line answered
   * (expired, cancelled, failed batch) go back to the queue. Safe to run again after a crash: a row already finished
   * no longer holds the batch's lease, so finishing it again changes nothing and calls nothing.
   */
  async apply(job: Job, record: BatchRecord, info: BatchInfo): Promise<ApplySummary> {
    const plan = this.ctx.plans.get(job);
    const model = job.config.model;
    const known = (): boolean => {
      const { requestsPerMs, tokensPerMs } = this.ctx.limiter.rates(model);
      return Boolean(requestsPerMs ?? tokensPerMs);
    };
    const turns = new RepairTurns(() => (known() ? (typeof job.config.workers === 'number' ? job.config.workers : APPLY_CONCURRENCY) : 1));
    const entries = new Map<string, BatchRowEntry>();
    for (const entry of await this.deps.store.batchRows(job.id, record.seq)) entries.set(entry.customId, entry);
    const seen = new Set<string>();
    let finished = 0;
    let requeued = 0;
    let pause: RowfillError | undefined;
    let failure: { readonly error: unknown } | undefined;
    const inFlight = new Set<Promise<void>>();
    // Up to APPLY_CONCURRENCY rows at once; the first failure stops new ones and is thrown once the others are done.
    const start = async (entry: BatchRowEntry, result: BatchRowResult, late: boolean): Promise<void> => {
      const step: Promise<void> = this.finishOne(job, plan, entry, result, late, turns).then(
        (done) => {
          if (done.kind === 'finished') finished++;
          else if (done.kind === 'requeued') requeued++;
          pause ??= done.pause;
        },
        (error: unknown) => {
          failure ??= { error };
        },
      );
      inFlight.add(step);
      void step.finally(() => inFlight.delete(step));
      if (inFlight.size >= APPLY_CONCURRENCY) await Promise.race(inFlight);
    };
    // The requests an expired batch did not reach (its error file lists them, or no line does) are late rows.
    const late = info.status === 'expired' && finishesLateRowsFast(job);
    for (const fileId of [info.outputFileId, info.errorFileId]) {
      if (fileId === null) continue;
      for await (const result of this.deps.client.results(fileId)) {
        if (failure) break;
        const entry = entries.get(result.customId);
        if (entry === undefined || seen.has(entry.customId)) continue;
        seen.add(entry.customId);
        await start(entry, result, late);
      }
    }
    // A batch that failed validation answered nothing and will not: its rows fail, or the next batch fails the same way.
    // One refused for the enqueued-token limit ran nothing yet: its rows go back to the queue, unbilled (token-limit.ts).
    for (const entry of entries.values()) {
      if (failure) break;
      if (seen.has(entry.customId)) continue;
      const result: BatchRowResult =
        info.status === 'failed' && !refusedForTokens(info)
          ? { kind: 'error', customId: entry.customId, error: new InvalidRequestError(`The provider refused the batch: ${info.errors.map((e) => e.message).join('; ') || 'no reason given'}`), usage: ZERO_USAGE }
          : { kind: 'unanswered', customId: entry.customId, code: `batch_${info.status}`, message: `The batch ended (${info.status}) before this row was answered.` };
      await start(entry, result, late);
    }
    await Promise.all(inFlight);
    if (failure) throw failure.error;
    return { finished, requeued, pause };
  }

  /** One row: decide its outcome as fast mode would, and record it under the batch's lease. */
  private async finishOne(job: Job, plan: JobPlan, entry: BatchRowEntry, result: BatchRowResult, late: boolean, turns: RepairTurns): Promise<RowApplied> {
    const { store, clock } = this.ctx;
    const row = await store.getRow(job.id, entry.rowId);
    // Finished before a crash, or taken back: nothing to do, and above all no repair call to pay for again.
    if (row === undefined || row.status !== 'running' || row.dispatchSeq !== entry.dispatchSeq) return { kind: 'skipped' };
    let outcome: RowOutcome;
    let pause: RowfillError | undefined;
    if (result.kind === 'unanswered' && late) {
      // Finish late rows fast: back to the queue marked late, keeping its slot, for a fast row task (late-rows.ts).
      outcome = { kind: 'retry', errorClass: 'timeout', message: LATE_ROW_MESSAGE, nextAttemptAt: clock.now(), usage: ZERO_USAGE, costUsd: 0 };
    } else if (result.kind === 'unanswered') {
      // Not billed: back to the queue for the next batch, the attempt not counted (as a pause's release).
      outcome = { kind: 'release', usage: ZERO_USAGE, costUsd: 0 };
    } else if (result.kind === 'answer') {
      ({ outcome, pause } = await this.answered(job, plan, row, entry, result.content, result.usage, turns));
    } else {
      // An error line may still report billed usage (a refusal): charged, and held against the row's reservation too.
      const costUsd = batchCost(result.usage, plan.price);
      const overrun = await this.answers.overrun(job, result.usage, result.usage, costUsd, entry.reserveUsd);
      ({ outcome, pause } = this.failed(job, row, { error: result.error, usage: result.usage, costUsd, overrun }));
    }
    const remember = outcome.kind === 'done' ? this.rememberFor(job, row, plan, outcome.outputs) : undefined;
    const request: FinishRequest = { jobId: job.id, rowId: row.rowId, leaseToken: entry.leaseToken, outcome, now: clock.now(), ...(remember ? { remember } : {}) };
    if (!(await store.finishRow(request))) return { kind: 'skipped' };
    // Its task now (a crash before this is made good by the next batch claim, which hands late rows to tasks too).
    if (late && result.kind === 'unanswered') await this.ctx.deps.queue.enqueue([rowTask(job.id, row.rowId, row.dispatchSeq)]);
    const kind = outcome.kind === 'done' || outcome.kind === 'failed' ? 'finished' : 'requeued';
    return pause ? { kind, pause } : { kind };
  }

  /**
   * A batch answer goes through fast mode's own validation, repair and overrun check (RowAnswers.complete), priced at
   * batch prices for the answer and the full price for the repair. An invalid one gets its one repair at once, as a
   * fast call that waits for the rate limiter like a fast repair: it needs the first answer as context, it is rare,
   * and sending it in the next batch would keep the row up to another 24 h for one request (and the first answer
   * would have to be stored until then). A row whose usage broke its reservation pauses the job for budget, as in
   * fast mode, and the model's higher ceiling is recorded, so later batches reserve for it.
   */
  private async answered(job: Job, plan: JobPlan, row: Row, entry: BatchRowEntry, content: string, usage: Usage, turns: RepairTurns): Promise<{ outcome: RowOutcome; pause: RowfillError | undefined }> {
    const price = plan.price;
    const terms = {
      estimate: plan.promptTokens(row.inputs) + plan.expectedOutputTokens,
      reserveUsd: entry.reserveUsd,
      timeoutMs: job.config.attemptTimeoutCapMs,
      cost: (first: Usage, repair?: Usage) => batchCost(first, price) + (repair && price ? costOf(repair, price) : 0),
      repairTurn: <T>(call: () => Promise<T>) => turns.run(call),
    };
    try {
      const answer = await this.answers.complete(job, plan, plan.messages(row.inputs), { content, usage }, terms);
      return { outcome: { kind: 'done', outputs: answer.outputs, cached: false, usage: answer.usage, costUsd: answer.costUsd }, pause: overrunPause(answer.overrun) };
    } catch (thrown) {
      return this.failed(job, row, failureOf(thrown, entry.reserveUsd));
    }
  }

  /**
   * A failure's outcome, as fast mode decides it; a retryable one with attempts left goes back to the queue for the next
   * batch at once (the batch itself is the backoff). An overrun pauses the job unless the error already does.
   */
  private failed(job: Job, row: Row, failure: Failure): { outcome: RowOutcome; pause: RowfillError | undefined } {
    const { outcome, pause } = failureOutcome(job, row, failure, (error) => ({ nextAttemptAt: this.ctx.clock.now(), message: error.message }));
    return { outcome, pause: pause ?? overrunPause(failure.overrun) };
  }

  /** A success feeds the cross-job cache and the skip-unchanged registry in the same step, as in fast mode. */
  private rememberFor(job: Job, row: Row, plan: JobPlan, outputs: Outputs): NonNullable<FinishRequest['remember']> {
    const now = this.ctx.clock.now();
    const ttl = this.ctx.options.cacheTtlMs;
    const cache = ttl > 0 ? { key: plan.cacheKey(row.inputHash), entry: { outputs, expiresAt: now + ttl } } : undefined;
    return { ...(cache ? { cache } : {}), registry: { sheetKey: targetKey(job.target), rowId: row.rowId, inputHash: row.inputHash, configHash: job.configHash, outputs, updatedAt: now } };
  }
}

/** The pause a row over its reservation asks for: budget, with the sentence naming the reported tokens and the cap. */
function overrunPause(overrun: string | undefined): RowfillError | undefined {
  return overrun === undefined ? undefined : new BudgetError(overrun);
}
