// The pump task: every ~second while a job is active, recover lost work, write results, refill the window, finish;
// a cheap job that only waits on the provider is pumped when it is next due.
import type { Job } from '../ports/domain.js';
import type { TaskOutcome } from '../ports/queue.js';
import { CheapMode, type CheapStepResult } from './batch/cheap-mode.js';
import type { EngineContext } from './context.js';
import type { RowRunner } from './row-runner.js';
import { pumpTask, type PumpCause } from './task-names.js';
import { RunningRows, rewriteWaitingRows } from './transient-statuses.js';

const OK: TaskOutcome = { status: 'ok' };
const FLUSH_BATCH = 5000;
/** While only the last rows are in flight, the pump runs this many times as often (every 100 ms by default), at most every MIN_TAIL_INTERVAL_MS. */
const TAIL_SPEEDUP = 10;
const MIN_TAIL_INTERVAL_MS = 50;

export class JobPump {
  private readonly running: RunningRows;
  /** Cheap jobs' step (engine/batch), when the engine has a Batch API client. */
  private readonly cheap: CheapMode | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly rows: RowRunner,
  ) {
    this.running = new RunningRows(ctx.store);
    this.cheap = ctx.deps.batch ? new CheapMode(ctx, ctx.deps.batch) : undefined;
  }

  /**
   * One snapshot of the job per tick, and one of its counters: what changes under the tick is learnt from the store's
   * own atomic answers (a dispatch gives nothing to a job no longer running, a transition returns undefined when the job
   * left `from`), never by reading the job again. A change the snapshot missed is seen by the next tick.
   */
  async run(jobId: string, cause: PumpCause = 'tick'): Promise<TaskOutcome> {
    const { store, clock, options } = this.ctx;
    const job = await store.getJob(jobId);
    if (!job || job.status === 'preparing') return OK;
    if (job.status === 'completed' || job.status === 'cancelled') {
      // A cancelled cheap job's open batches are cancelled, then their answered rows applied: pump until none is open.
      const step = job.status === 'cancelled' && job.config.mode === 'cheap' && this.cheap ? await this.cheap.step(job) : undefined;
      if (step && step.openBatches > 0) {
        const flushed = (await this.flushRows(job)) === 'all';
        await this.scheduleCheap(jobId, flushed ? step : undefined);
        return OK;
      }
      // A cancelled job's last rows may wait for the Sheets quota: pump again until they are written (a failing write
      // is not retried forever here: the job is over).
      if ((await this.flushRows(job)) === 'deferred') {
        await this.ctx.schedulePump(jobId, options.pumpIntervalMs);
        return OK;
      }
      this.ctx.forgetJob(job.id);
      this.running.forget(job.id);
      return OK;
    }

    const now = clock.now();
    // Running rows past their lease and dispatched rows that never started are different rows: look for both at once.
    const [recovered, stale] = await Promise.all([store.expireLeases(jobId, now), store.undispatchStale(jobId, now - options.staleDispatchMs)]);
    if (recovered + stale > 0) this.ctx.log.warn({ jobId, recovered, stale }, 'recovered rows whose worker or task was lost');

    // Before this tick's flush, so a result finished meanwhile is written after the waiting text, not under it.
    if (cause === 'rewrite-waiting' && job.status === 'running' && !(await this.rewriteWaiting(job))) {
      await this.ctx.schedulePump(jobId, options.pumpIntervalMs, 'rewrite-waiting');
    }
    // The flush (finished rows) and the step that feeds the job (queued rows) touch different rows: side by side, so a
    // slow dispatch on a busy store never holds the sheet back (on the Firestore emulator it had stretched a tick to
    // ~17 s, and the sheet was written every 14 s).
    const flushing = this.flush(job);
    const { job: current, step } = await this.advance(job).finally(() => flushing);
    const flushedAll = await flushing;

    const counts = await store.counts(jobId);
    // Rows may have finished since the flush above: write them before declaring the job complete.
    if (current.status === 'running' && counts.queued === 0 && counts.running === 0 && flushedAll && (await this.flush(current))) {
      const completed = await store.transitionJob(jobId, { to: 'completed', from: ['running'], now: clock.now() });
      if (completed) {
        this.ctx.forgetJob(jobId);
        this.running.forget(jobId);
        this.ctx.log.info({ jobId, done: counts.done, failed: counts.failed, skipped: counts.skipped, spentUsd: counts.spentUsd }, 'job completed');
        return OK;
      }
      // Paused or cancelled under this tick: the next one sees it.
    }
    // A paused job with nothing in flight and everything written needs no pump until it is resumed; its waiting rows
    // say why it waits.
    if (current.status === 'paused' && counts.running === 0 && flushedAll && (await this.flush(current)) && (await this.rewriteWaiting(current))) return OK;
    // A cheap job's last rows wait for their batch, polled with its own backoff: no tail pumping. One that only waits
    // for the provider (every row it holds is in a batch, everything finished is written) sleeps until it is due.
    if (current.status === 'running' && counts.queued === 0 && counts.running > 0 && job.config.mode !== 'cheap') await this.scheduleTailPump(jobId);
    else if (step && flushedAll && counts.running <= step.rowsInBatches) await this.scheduleCheap(jobId, step);
    else await this.ctx.schedulePump(jobId, options.pumpIntervalMs);
    return OK;
  }

  /**
   * Feeds the job: the failure-rate check, then the window's top-up or a cheap job's batch step; the job as it now is,
   * and the cheap step's result.
   */
  private async advance(job: Job): Promise<{ job: Job; step?: CheapStepResult }> {
    if (job.status === 'running') {
      // A job paused meanwhile (a row met the budget, a user) gets no slots: the store dispatches only to a running job.
      const paused = await this.rows.checkFailureRate(job);
      if (paused) return { job: paused };
      if (job.config.mode === 'cheap') return this.cheapStep(job);
      await this.ctx.topUp(job);
    } else if (job.status === 'paused' && job.config.mode === 'cheap' && this.cheap) {
      // A paused cheap job's batches still end and bill at the provider: apply their answers.
      return { job, step: await this.cheap.step(job) };
    }
    return { job };
  }

  /** A cheap job's step, or its pause when this engine has no Batch API client. */
  private async cheapStep(job: Job): Promise<{ job: Job; step?: CheapStepResult }> {
    if (this.cheap) return { job, step: await this.cheap.step(job) };
    const message = 'Cheap mode needs the Batch API, and this server has no Batch client; start the job in fast mode.';
    return { job: (await this.ctx.store.transitionJob(job.id, { to: 'paused', from: ['running'], pauseReason: 'quota', message, now: this.ctx.clock.now() })) ?? job };
  }

  /**
   * A cheap job's next pump: at the time its step said it is next due (a batch's poll, or room for the next batch),
   * no sooner than one interval (so the pump's slot name moves on) and no later than the poll backoff's cap; every
   * interval when the step did or found work. A user's action (cancel, resume, re-run) kicks a pump of its own.
   */
  private async scheduleCheap(jobId: string, step: CheapStepResult | undefined): Promise<void> {
    const interval = this.ctx.options.pumpIntervalMs;
    if (step?.idleUntil === undefined || this.cheap === undefined) return this.ctx.schedulePump(jobId, interval);
    const now = this.ctx.clock.now();
    const at = Math.min(Math.max(step.idleUntil, now + interval), now + Math.max(interval, this.cheap.maxIdleMs));
    await this.ctx.schedulePump(jobId, at - now);
  }

  /**
   * Only the last rows are in flight: look for the end ten times as often, so a short job is not left waiting most of an
   * interval after its last answer (on average half of it; a 30 s job lost 3% there). Named by the shorter slot, so
   * successive tail pumps never share a name, and a redelivered one still collapses into the one already scheduled.
   */
  private async scheduleTailPump(jobId: string): Promise<void> {
    const tailMs = Math.max(MIN_TAIL_INTERVAL_MS, Math.floor(this.ctx.options.pumpIntervalMs / TAIL_SPEEDUP));
    await this.ctx.deps.queue.enqueue([pumpTask(jobId, this.ctx.clock.now() + tailMs, tailMs)]);
  }

  /** False when the write failed (the next pump tries again). */
  private async rewriteWaiting(job: Job): Promise<boolean> {
    const sink = this.ctx.deps.sinks?.(job);
    if (!sink) return true;
    try {
      await rewriteWaitingRows(this.ctx.store, sink, job);
      return true;
    } catch (error) {
      this.ctx.log.warn({ jobId: job.id, error: error instanceof Error ? error.message : String(error) }, 'writing the waiting rows\' status failed; will retry');
      return false;
    }
  }

  /**
   * Write finished rows to the job's sheet in batches, and in the first write mark rows that started since the last
   * tick `running`; false while some finished rows remain unwritten (retried next pump).
   */
  private async flush(job: Job): Promise<boolean> {
    return (await this.flushRows(job)) === 'all';
  }

  /** `all` written, `deferred` (the Sheets quota had no token: nothing sent), or `partial` (some rows left, or a failed write). */
  private async flushRows(job: Job): Promise<'all' | 'partial' | 'deferred'> {
    const sink = this.ctx.deps.sinks?.(job);
    if (!sink) return 'all';
    const { store } = this.ctx;
    try {
      let first = true;
      for (;;) {
        const rows = await store.listRows({ jobId: job.id, limit: FLUSH_BATCH, unflushedOnly: true });
        const starting = first ? await this.running.toShow(job, rows) : [];
        first = false;
        if (rows.length === 0 && starting.length === 0) return 'all';
        const result = await sink.flush(job, [...rows, ...starting]);
        // The deployment's Sheets budget has no token now: these rows ride in a later flush (more rows, same cost).
        if (result.deferred) return 'deferred';
        const finished = new Set(rows.map((r) => r.rowId));
        const placed = [...result.written, ...result.missing, ...result.duplicated].filter((id) => finished.has(id));
        await store.markFlushed(job.id, placed);
        await this.running.shownNow(
          job,
          result.written.filter((id) => !finished.has(id)),
        );
        if (result.resync) {
          // Positions moved under the write: rewrite every finished row at its current place on the next tick.
          this.running.forget(job.id);
          const again = await store.markAllUnflushed(job.id);
          this.ctx.log.warn({ jobId: job.id, rows: again }, 'the sheet changed during a write; rewriting finished rows');
          return 'partial';
        }
        if (result.missing.length + result.duplicated.length > 0) {
          this.ctx.log.warn({ jobId: job.id, missing: result.missing.length, duplicated: result.duplicated.length }, 'some finished rows could not be placed in the sheet; their results stay in the store');
        }
        if (rows.length < FLUSH_BATCH || placed.length === 0) return placed.length === rows.length ? 'all' : 'partial';
      }
    } catch (error) {
      this.ctx.log.warn({ jobId: job.id, error: error instanceof Error ? error.message : String(error) }, 'writing results to the sheet failed; will retry');
      return 'partial';
    }
  }
}
