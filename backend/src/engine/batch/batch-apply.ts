// Applies an ended batch's results: each row it carries finishes through the store's finishRow, as a fast row does.
import type { BatchInfo, BatchRowResult } from '../../ports/batch.js';
import type { BatchRecord, BatchRowEntry } from '../../ports/batch-store.js';
import { targetKey, ZERO_USAGE, type Job, type Outputs, type Row, type Usage } from '../../ports/domain.js';
import type { FinishRequest, RowOutcome } from '../../ports/store.js';
import { asRowfillError, InvalidRequestError, OutputInvalidError, TimeoutError, type RowfillError } from '../../kernel/errors.js';
import type { EngineContext } from '../context.js';
import type { JobPlan } from '../job-plan.js';
import { addUsage, costOf } from '../pricing.js';
import { repairMessages } from '../prompt.js';
import { batchCost } from './batch-cost.js';
import { finishesLateRowsFast, LATE_ROW_MESSAGE } from './late-rows.js';
import { rowTask } from '../task-names.js';
import type { CheapModeDeps } from './cheap-options.js';

/** What applying a batch found: how many rows it finished or sent back, and the error that should pause the job, if any. */
export interface ApplySummary {
  readonly finished: number;
  readonly requeued: number;
  readonly pause: RowfillError | undefined;
}

export class BatchApplier {
  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: CheapModeDeps,
  ) {}

  /**
   * Streams the output and error files (never held whole) and finishes each carried row once; rows no line answered
   * (expired, cancelled, failed batch) go back to the queue. Safe to run again after a crash: a row already finished
   * no longer holds the batch's lease, so finishing it again changes nothing and calls nothing.
   */
  async apply(job: Job, record: BatchRecord, info: BatchInfo): Promise<ApplySummary> {
    const plan = this.ctx.plans.get(job);
    const entries = new Map<string, BatchRowEntry>();
    for (const entry of await this.deps.store.batchRows(job.id, record.seq)) entries.set(entry.customId, entry);
    const seen = new Set<string>();
    let finished = 0;
    let requeued = 0;
    let pause: RowfillError | undefined;
    // The requests an expired batch did not reach (its error file lists them, or no line does) are late rows.
    const late = info.status === 'expired' && finishesLateRowsFast(job);
    for (const fileId of [info.outputFileId, info.errorFileId]) {
      if (fileId === null) continue;
      for await (const result of this.deps.client.results(fileId)) {
        const entry = entries.get(result.customId);
        if (entry === undefined || seen.has(entry.customId)) continue;
        seen.add(entry.customId);
        const done = await this.finishOne(job, plan, entry, result, late);
        if (done === 'finished') finished++;
        else if (done === 'requeued') requeued++;
        else if (done !== 'skipped') {
          requeued++;
          pause ??= done;
        }
      }
    }
    // A batch that failed validation answered nothing and will not: its rows fail, or the next batch fails the same way.
    for (const entry of entries.values()) {
      if (seen.has(entry.customId)) continue;
      const result: BatchRowResult =
        info.status === 'failed'
          ? { kind: 'error', customId: entry.customId, error: new InvalidRequestError(`The provider refused the batch: ${info.errors.map((e) => e.message).join('; ') || 'no reason given'}`), usage: ZERO_USAGE }
          : { kind: 'unanswered', customId: entry.customId, code: `batch_${info.status}`, message: `The batch ended (${info.status}) before this row was answered.` };
      const done = await this.finishOne(job, plan, entry, result, late);
      if (done === 'finished') finished++;
      else if (done === 'requeued') requeued++;
    }
    return { finished, requeued, pause };
  }

  /** One row: decide its outcome as fast mode would, and record it under the batch's lease. */
  private async finishOne(job: Job, plan: JobPlan, entry: BatchRowEntry, result: BatchRowResult, late = false): Promise<'finished' | 'requeued' | 'skipped' | RowfillError> {
    const { store, clock } = this.ctx;
    const row = await store.getRow(job.id, entry.rowId);
    // Finished before a crash, or taken back: nothing to do, and above all no repair call to pay for again.
    if (row === undefined || row.status !== 'running' || row.dispatchSeq !== entry.dispatchSeq) return 'skipped';
    let outcome: RowOutcome;
    let pause: RowfillError | undefined;
    if (result.kind === 'unanswered' && late) {
      // Finish late rows fast: back to the queue marked late, keeping its slot, for a fast row task (late-rows.ts).
      outcome = { kind: 'retry', errorClass: 'timeout', message: LATE_ROW_MESSAGE, nextAttemptAt: clock.now(), usage: ZERO_USAGE, costUsd: 0 };
    } else if (result.kind === 'unanswered') {
      // Not billed: back to the queue for the next batch, the attempt not counted (as a pause's release).
      outcome = { kind: 'release', usage: ZERO_USAGE, costUsd: 0 };
    } else if (result.kind === 'answer') {
      outcome = await this.answered(job, plan, row, result.content, result.usage);
    } else {
      const error = result.error;
      const costUsd = batchCost(result.usage, plan.price);
      if (error.effect === 'pause') {
        outcome = { kind: 'release', usage: result.usage, costUsd };
        pause = error;
      } else outcome = this.failedOrRetry(job, row, error, result.usage, costUsd);
    }
    const remember = outcome.kind === 'done' ? this.rememberFor(job, row, plan, outcome.outputs) : undefined;
    const request: FinishRequest = { jobId: job.id, rowId: row.rowId, leaseToken: entry.leaseToken, outcome, now: clock.now(), ...(remember ? { remember } : {}) };
    if (!(await store.finishRow(request))) return 'skipped';
    // Its task now (a crash before this is made good by the next batch claim, which hands late rows to tasks too).
    if (late && result.kind === 'unanswered') await this.ctx.deps.queue.enqueue([rowTask(job.id, row.rowId, row.dispatchSeq)]);
    if (pause) return pause;
    return outcome.kind === 'done' || outcome.kind === 'failed' ? 'finished' : 'requeued';
  }

  /**
   * A batch answer is validated as a fast one is. An invalid one gets its one repair at once, as a fast call: it needs
   * the first answer as context, it is rare, and sending it in the next batch would keep the row up to another 24 h
   * for one request (and the first answer would have to be stored until then).
   */
  private async answered(job: Job, plan: JobPlan, row: Row, content: string, usage: Usage): Promise<RowOutcome> {
    const parsed = plan.schema.parse(content);
    const firstCost = batchCost(usage, plan.price);
    if (parsed.ok) return { kind: 'done', outputs: parsed.outputs, cached: false, usage, costUsd: firstCost };
    const controller = new AbortController();
    const untrack = this.ctx.trackCall(job.id, controller);
    const timer = this.ctx.timer(job.config.attemptTimeoutCapMs, () => controller.abort(new TimeoutError(`No answer to the repair within ${Math.round(job.config.attemptTimeoutCapMs / 1000)} s.`)));
    try {
      const repair = await this.ctx.deps.model.complete({
        model: job.config.model,
        messages: repairMessages(plan.messages(row.inputs), content, parsed.problem),
        schemaName: 'row_outputs',
        schema: plan.schema.jsonSchema,
        maxOutputTokens: job.config.maxOutputTokens,
        signal: controller.signal,
      });
      const total = addUsage(usage, repair.usage);
      const costUsd = firstCost + (plan.price ? costOf(repair.usage, plan.price) : 0);
      const reparsed = plan.schema.parse(repair.content);
      if (reparsed.ok) return { kind: 'done', outputs: reparsed.outputs, cached: false, usage: total, costUsd };
      return { kind: 'failed', errorClass: 'output_invalid', message: new OutputInvalidError(`The model's answer did not match the output columns after one repair: ${reparsed.problem}`).message, usage: total, costUsd };
    } catch (thrown) {
      return this.failedOrRetry(job, row, asRowfillError(thrown), usage, firstCost);
    } finally {
      timer();
      untrack();
    }
  }

  /** A retryable error with attempts left goes back to the queue for the next batch (the batch itself is the backoff). */
  private failedOrRetry(job: Job, row: Row, error: RowfillError, usage: Usage, costUsd: number): RowOutcome {
    if (error.effect === 'retry' && row.attempt < job.config.maxAttempts) {
      return { kind: 'retry', errorClass: error.errorClass, message: error.message, nextAttemptAt: this.ctx.clock.now(), usage, costUsd };
    }
    return { kind: 'failed', errorClass: error.errorClass, message: error.message, usage, costUsd };
  }

  /** A success feeds the cross-job cache and the skip-unchanged registry in the same step, as in fast mode. */
  private rememberFor(job: Job, row: Row, plan: JobPlan, outputs: Outputs): NonNullable<FinishRequest['remember']> {
    const now = this.ctx.clock.now();
    const ttl = this.ctx.options.cacheTtlMs;
    const cache = ttl > 0 ? { key: plan.cacheKey(row.inputHash), entry: { outputs, expiresAt: now + ttl } } : undefined;
    return { ...(cache ? { cache } : {}), registry: { sheetKey: targetKey(job.target), rowId: row.rowId, inputHash: row.inputHash, configHash: job.configHash, outputs, updatedAt: now } };
  }
}
