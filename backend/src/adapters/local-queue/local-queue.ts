// The embedded Queue: durable tasks in the shared SQLite file, dispatched in-process with Cloud Tasks semantics.
import type { DeliveredTask, EnqueueResult, Queue, TaskHandler, TaskOutcome, TaskSpec } from '../../ports/queue.js';
import { DispatchRate } from './dispatch-rate.js';
import { resolveLocalQueueOptions, type LocalQueueOptions, type ResolvedLocalQueueOptions } from './options.js';
import { decideOutcome, errorName, thrownOutcome } from './outcome-policy.js';
import { TaskTable, type ClaimedTask, type RecordedOutcome } from './task-table.js';
import { validateTaskSpecs } from './task-spec.js';
import { WakeTimer } from './wake-timer.js';

/** Most tasks claimed in one transaction: large enough to amortise the commit, small enough to keep a tick short. */
const CLAIM_BATCH = 512;
/** When the rate limit is what holds dispatch back, sleep until about this many seconds' worth of tokens are ready, not one. */
const RATE_WAIT_SECONDS = 0.01;
/** Expired tombstones are purged at most this often, this many at a time, so cleanup never stalls dispatch. */
const PURGE_EVERY_MS = 1000;
const PURGE_BATCH = 5000;

export interface LocalQueueStats {
  /** Tasks in the file waiting for a delivery, due now or scheduled later. */
  readonly pending: number;
  /** Handler calls in flight in this queue now. */
  readonly running: number;
  /** Deliveries this queue made since construction (redeliveries count again). */
  readonly delivered: number;
  /** Retry outcomes this queue recorded (a throwing handler counts). */
  readonly retried: number;
  /** Tasks this queue dropped after maxAttempts. */
  readonly dropped: number;
  /** The dispatch rate allowed now: maxDispatchesPerSecond, or less while recovering from a slow-down. */
  readonly currentRatePerSecond: number;
}

type Phase = 'idle' | 'running' | 'stopping';

export class LocalQueue implements Queue {
  readonly #options: ResolvedLocalQueueOptions;
  readonly #table: TaskTable;
  readonly #rate: DispatchRate;
  readonly #timer: WakeTimer;
  #phase: Phase = 'idle';
  #handler: TaskHandler | undefined;
  /**
   * Handler calls in flight, with their dispatch deadlines, in dispatch order (so deadlines ascend). A delivery leaves
   * it when it settles, when it outlives its deadline (its slot is freed and its late outcome ignored, as Cloud Tasks
   * abandons a request past its deadline), or when halt() forgets everything.
   */
  readonly #inFlight = new Map<ClaimedTask, number>();
  /** Outcomes settled since the last flush; recorded together, once per event-loop turn. */
  #outcomes: RecordedOutcome[] = [];
  #tickQueued = false;
  #purgedAt = Number.NEGATIVE_INFINITY;
  #idleWaiters: (() => void)[] = [];
  #stopping: Promise<void> | undefined;
  #delivered = 0;
  #retried = 0;
  #dropped = 0;

  constructor(options: LocalQueueOptions) {
    this.#options = resolveLocalQueueOptions(options);
    const { db, clock, maxDispatchesPerSecond, recoverInFlight } = this.#options;
    this.#table = new TaskTable(db);
    this.#rate = new DispatchRate(maxDispatchesPerSecond, clock.now());
    this.#timer = new WakeTimer(clock, () => this.#schedule());
    if (recoverInFlight) this.#table.recoverInFlight(clock.now());
  }

  enqueue(tasks: readonly TaskSpec[]): Promise<EnqueueResult> {
    // The executor runs synchronously and turns a throw into a rejection, so the write happens before this returns.
    return new Promise((resolve) => resolve(this.#enqueueNow(tasks)));
  }

  start(handler: TaskHandler): void {
    if (typeof handler !== 'function') throw new TypeError(`Expected \`handler\` to be a function, got \`${String(handler)}\` (${typeof handler})`);
    if (this.#phase !== 'idle') throw new Error('LocalQueue is already started; await stop() before starting it again');
    this.#handler = handler;
    this.#phase = 'running';
    this.#schedule();
  }

  /**
   * Stops dispatching, waits for in-flight handler calls to settle and records their outcomes. A call still running at
   * its dispatch deadline is given up on (its task stays in the file for redelivery). Undelivered tasks stay too.
   */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    if (this.#phase === 'idle') return Promise.resolve();
    this.#phase = 'stopping';
    this.#timer.cancel();
    this.#armForDeadline(this.#options.clock.now());
    this.#stopping = (async () => {
      try {
        await this.#whenIdle();
        this.#flush();
      } finally {
        this.#timer.cancel();
        this.#phase = 'idle';
        this.#handler = undefined;
        this.#stopping = undefined;
      }
    })();
    return this.#stopping;
  }

  /**
   * Stops at once and forgets in-flight deliveries without recording their outcomes — what a crash does. Their tasks
   * are delivered again after their dispatch deadline, or at once by a queue constructed with `recoverInFlight`.
   * For crash tests, and for a shutdown that cannot wait for handlers.
   */
  halt(): void {
    this.#inFlight.clear();
    this.#outcomes = [];
    this.#timer.cancel();
    this.#phase = 'idle';
    this.#handler = undefined;
    this.#releaseIdleWaiters();
  }

  stats(): LocalQueueStats {
    return {
      pending: this.#table.countPending(),
      running: this.#inFlight.size,
      delivered: this.#delivered,
      retried: this.#retried,
      dropped: this.#dropped,
      currentRatePerSecond: this.#rate.rate(this.#options.clock.now()),
    };
  }

  #enqueueNow(tasks: readonly TaskSpec[]): EnqueueResult {
    validateTaskSpecs(tasks);
    if (tasks.length === 0) return { enqueued: 0, existing: 0 };
    const enqueued = this.#table.enqueue(tasks, this.#options.clock.now());
    // Any new task may be due sooner than the loop's current wake-up.
    if (enqueued > 0) this.#schedule();
    return { enqueued, existing: tasks.length - enqueued };
  }

  /** One tick per event-loop turn at most, so every outcome that settled in the turn is recorded in one transaction. */
  #schedule(): void {
    if (this.#tickQueued) return;
    this.#tickQueued = true;
    setImmediate(() => this.#tick());
  }

  #tick(): void {
    this.#tickQueued = false;
    try {
      const now = this.#options.clock.now();
      this.#abandonOverdue(now);
      this.#flush();
      if (this.#phase === 'stopping') this.#armForDeadline(now);
      if (this.#phase !== 'running') return;
      if (now - this.#purgedAt >= PURGE_EVERY_MS) {
        this.#purgedAt = now;
        this.#table.purgeTombstones(now, PURGE_BATCH);
      }
      this.#dispatch(now);
    } catch (error) {
      // A database error (disk full, a lock held past busy_timeout) must not kill the process; outcomes that could
      // not be recorded were put back by #flush, and the next wake-up tries again.
      this.#options.logger?.warn({ error: errorName(error), code: (error as { code?: unknown }).code }, 'local queue tick failed; retrying');
      if (this.#phase === 'running' || this.#outcomes.length > 0) this.#timer.arm(this.#options.pollIntervalMs);
    }
  }

  #dispatch(now: number): void {
    const { maxConcurrentDispatches, dispatchDeadlineMs, pollIntervalMs } = this.#options;
    for (;;) {
      const free = maxConcurrentDispatches - this.#inFlight.size;
      if (free <= 0) {
        // The next settling handler schedules a tick; if none settles, the earliest deadline frees a slot.
        this.#armForDeadline(now);
        return;
      }
      const tokens = this.#rate.available(now);
      if (tokens < 1) {
        this.#timer.arm(this.#rate.msUntil(Math.ceil(this.#rate.rate(now) * RATE_WAIT_SECONDS), now));
        return;
      }
      const limit = Math.min(free, tokens, CLAIM_BATCH);
      const claimed = this.#table.claimDue(now, limit, now + dispatchDeadlineMs);
      this.#rate.take(claimed.length, now);
      for (const task of claimed) this.#deliver(task, now + dispatchDeadlineMs);
      // A handler may have called stop() or halt() synchronously.
      if (this.#phase !== 'running') return;
      if (claimed.length < limit) {
        const next = this.#table.nextDueAt();
        this.#timer.arm(next === undefined ? pollIntervalMs : Math.min(pollIntervalMs, Math.max(1, next - now)));
        return;
      }
    }
  }

  #deliver(task: ClaimedTask, deadline: number): void {
    const handler = this.#handler;
    if (!handler) return;
    const delivered: DeliveredTask = { name: task.name, kind: task.kind, payload: task.payload, deliveryAttempt: task.attempt };
    this.#inFlight.set(task, deadline);
    this.#delivered += 1;
    // The handler runs synchronously up to its first await; a synchronous throw becomes a rejection.
    const answer = new Promise<TaskOutcome>((resolve) => resolve(handler(delivered)));
    answer.then(
      (outcome) => this.#recordOutcome(task, outcome),
      (error: unknown) => {
        if (this.#inFlight.has(task)) {
          this.#options.logger?.warn(
            { task: task.name, kind: task.kind, deliveryAttempt: task.attempt, error: errorName(error) },
            'queue task handler threw; the task will be retried',
          );
        }
        this.#recordOutcome(task, thrownOutcome(error));
      },
    );
  }

  #recordOutcome(task: ClaimedTask, outcome: unknown): void {
    // Not in flight any more: abandoned at its deadline or forgotten by halt(); its outcome must not count.
    if (!this.#inFlight.delete(task)) return;
    const now = this.#options.clock.now();
    const decision = decideOutcome(task, outcome, now, this.#options, this.#options.random);
    if (decision.slowDown) this.#rate.slowDown(now);
    this.#outcomes.push(decision.record);
    if (this.#inFlight.size === 0) this.#releaseIdleWaiters();
    this.#schedule();
  }

  #abandonOverdue(now: number): void {
    for (const [task, deadline] of this.#inFlight) {
      if (deadline > now) break;
      this.#inFlight.delete(task);
      this.#options.logger?.warn(
        { task: task.name, kind: task.kind, deliveryAttempt: task.attempt },
        'queue task handler outlived its dispatch deadline; the task will be delivered again',
      );
    }
    if (this.#inFlight.size === 0) this.#releaseIdleWaiters();
  }

  #armForDeadline(now: number): void {
    const first = this.#inFlight.values().next();
    if (!first.done) this.#timer.arm(Math.max(1, first.value - now));
  }

  #flush(): void {
    if (this.#outcomes.length === 0) return;
    const batch = this.#outcomes;
    this.#outcomes = [];
    let applied: RecordedOutcome[];
    try {
      applied = this.#table.record(batch, this.#options.clock.now(), this.#options.tombstoneMs);
    } catch (error) {
      this.#outcomes = batch.concat(this.#outcomes);
      throw error;
    }
    for (const outcome of applied) {
      if (outcome.type === 'retry') this.#retried += 1;
      if (outcome.type === 'drop') {
        this.#dropped += 1;
        this.#reportDropped(outcome);
      }
    }
  }

  #reportDropped(outcome: Extract<RecordedOutcome, { type: 'drop' }>): void {
    const { onDropped, logger } = this.#options;
    if (!onDropped) return;
    const { task } = outcome;
    try {
      onDropped({ name: task.name, kind: task.kind, payload: task.payload, deliveryAttempt: task.attempt }, outcome.reason);
    } catch (error) {
      logger?.warn({ task: task.name, error: errorName(error) }, 'onDropped callback threw');
    }
  }

  #whenIdle(): Promise<void> {
    if (this.#inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #releaseIdleWaiters(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
