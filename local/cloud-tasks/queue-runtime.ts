// One queue of the stand-in: its tasks, and the loop that dispatches them under its rate, concurrency and retry settings.
import { status } from '@grpc/grpc-js';
import { attemptHeaders } from './attempt-headers.js';
import { retryDelayMs } from './backoff.js';
import { DispatchRate } from './dispatch-rate.js';
import type { AttemptResult, HttpDispatch } from './http-dispatch.js';
import { isThrottleStatus, rpcCodeForHttp } from './http-status.js';
import type { OidcSigner } from './oidc-issuer.js';
import type { QueueConfig } from './queue-config.js';
import { TaskHeap } from './task-heap.js';
import type { AttemptRecord, TaskRecord } from './task-record.js';

export type QueueState = 'RUNNING' | 'PAUSED';

export interface QueueStats {
  /** Attempts sent (each retry counts again). */
  readonly dispatched: number;
  /** Attempts answered 2xx. */
  readonly succeeded: number;
  /** Attempts that failed: a non-2xx answer, no answer by the deadline, or a connection error. */
  readonly failed: number;
  /** Attempts answered 429 or 503. */
  readonly throttled: number;
  /** Times the dispatch rate was halved (throttle signals inside the cooldown count once). */
  readonly slowDowns: number;
  /** Tasks deleted after max_attempts (and max_retry_duration) ran out. */
  readonly dropped: number;
  readonly inFlight: number;
  /** Tasks held, in flight or waiting. */
  readonly tasks: number;
  /** The dispatch rate allowed now: max_dispatches_per_second, or less while recovering from a slow-down. */
  readonly currentRatePerSecond: number;
}

export interface QueueRuntimeDeps {
  readonly http: HttpDispatch;
  readonly signer: OidcSigner;
  /** A task left the queue (done, dropped, deleted, purged): its name now deduplicates for a while. */
  readonly onRemoved: (task: TaskRecord) => void;
}

export class QueueRuntime {
  readonly #deps: QueueRuntimeDeps;
  #config: QueueConfig;
  #state: QueueState = 'RUNNING';
  readonly #tasks = new Map<string, TaskRecord>();
  readonly #heap = new TaskHeap<TaskRecord>();
  readonly #inFlight = new Map<TaskRecord, AbortController>();
  readonly #rate: DispatchRate;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #tickQueued = false;
  #closed = false;
  #counts = { dispatched: 0, succeeded: 0, failed: 0, throttled: 0, slowDowns: 0, dropped: 0 };

  constructor(
    /** projects/…/queues/ID */
    readonly name: string,
    readonly id: string,
    config: QueueConfig,
    deps: QueueRuntimeDeps,
  ) {
    this.#config = config;
    this.#deps = deps;
    this.#rate = new DispatchRate(config.maxDispatchesPerSecond, Date.now());
  }

  get config(): QueueConfig {
    return this.#config;
  }

  get state(): QueueState {
    return this.#state;
  }

  setConfig(config: QueueConfig): void {
    this.#config = config;
    this.#rate.setMax(config.maxDispatchesPerSecond, Date.now());
    this.#schedule();
  }

  /** Paused: nothing new is dispatched; attempts in flight finish and are retried later as usual. */
  setState(state: QueueState): void {
    this.#state = state;
    if (state === 'RUNNING') this.#schedule();
    else this.#disarm();
  }

  get(name: string): TaskRecord | undefined {
    return this.#tasks.get(name);
  }

  /** Tasks held, earliest schedule first. */
  list(): TaskRecord[] {
    return [...this.#tasks.values()].sort((a, b) => a.scheduleTime - b.scheduleTime || a.seq - b.seq);
  }

  add(task: TaskRecord): void {
    this.#tasks.set(task.name, task);
    this.#heap.push({ at: task.scheduleTime, seq: task.seq, item: task, version: task.version });
    this.#schedule();
  }

  /** Deletes a task; an attempt in flight is abandoned and its answer ignored. */
  remove(name: string): TaskRecord | undefined {
    const task = this.#tasks.get(name);
    if (!task) return undefined;
    this.#forget(task);
    this.#inFlight.get(task)?.abort();
    this.#inFlight.delete(task);
    this.#schedule();
    return task;
  }

  /** Deletes every task (PurgeQueue, DeleteQueue). */
  removeAll(): void {
    for (const name of [...this.#tasks.keys()]) this.remove(name);
    this.#heap.clear();
  }

  stats(): QueueStats {
    return { ...this.#counts, inFlight: this.#inFlight.size, tasks: this.#tasks.size, currentRatePerSecond: this.#rate.rate(Date.now()) };
  }

  close(): void {
    this.#closed = true;
    this.#disarm();
    for (const controller of this.#inFlight.values()) controller.abort();
    this.#inFlight.clear();
  }

  #forget(task: TaskRecord): void {
    task.removed = true;
    task.version += 1;
    task.dispatching = false;
    this.#tasks.delete(task.name);
    this.#deps.onRemoved(task);
  }

  /** One tick per event-loop turn at most, however many tasks arrive or settle in it. */
  #schedule(): void {
    if (this.#tickQueued || this.#closed) return;
    this.#tickQueued = true;
    setImmediate(() => {
      this.#tickQueued = false;
      this.#tick();
    });
  }

  #tick(): void {
    if (this.#closed || this.#state !== 'RUNNING') return;
    const now = Date.now();
    while (this.#inFlight.size < this.#config.maxConcurrentDispatches) {
      const next = this.#heap.peek();
      if (!next) return;
      // Timers may fire a little early by the wall clock; a task never goes before its schedule time.
      if (next.at > now) return this.#arm(next.at - now);
      if (!this.#rate.tryTake(now)) return this.#arm(this.#rate.msUntilToken(now));
      this.#heap.pop();
      this.#dispatch(next.item, now);
    }
  }

  #arm(ms: number): void {
    const at = Date.now() + ms;
    if (this.#timer && this.#timerAt <= at) return;
    this.#disarm();
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
      this.#schedule();
    }, Math.max(1, Math.ceil(ms)));
  }

  #disarm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #dispatch(task: TaskRecord, now: number): void {
    task.version += 1;
    task.dispatching = true;
    task.dispatchCount += 1;
    const attempt: AttemptRecord = { scheduleTime: task.scheduleTime, dispatchTime: now };
    task.firstAttempt ??= attempt;
    task.lastAttempt = attempt;
    const controller = new AbortController();
    this.#inFlight.set(task, controller);
    this.#counts.dispatched += 1;
    const version = task.version;
    void this.#send(task, controller.signal).then((result) => this.#settle(task, version, attempt, controller, result));
  }

  async #send(task: TaskRecord, cancel: AbortSignal): Promise<AttemptResult> {
    let token: string | undefined;
    if (task.target.oidc) {
      try {
        token = await this.#deps.signer(task.target.oidc);
      } catch (error) {
        return { kind: 'no_response', code: status.UNAUTHENTICATED, message: `minting the OIDC token failed: ${error instanceof Error ? error.message : String(error)}` };
      }
    }
    const { url, method, body } = task.target;
    return this.#deps.http.send({ url, method, body, headers: attemptHeaders(task, this.id, token), deadlineMs: task.dispatchDeadlineMs }, cancel);
  }

  #settle(task: TaskRecord, version: number, attempt: AttemptRecord, controller: AbortController, result: AttemptResult): void {
    if (this.#inFlight.get(task) === controller) this.#inFlight.delete(task);
    if (this.#closed) return;
    this.#schedule();
    const now = Date.now();
    if (result.kind === 'response') {
      task.responseCount += 1;
      if (result.status < 500) task.executionCount += 1;
      attempt.responseTime = now;
      attempt.responseStatus = { code: rpcCodeForHttp(result.status), message: `HTTP ${result.status}` };
    } else {
      attempt.responseStatus = { code: result.code, message: result.message };
    }
    // Deleted while in flight: the answer changes nothing.
    if (task.removed || task.version !== version) return;
    task.dispatching = false;

    if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
      this.#counts.succeeded += 1;
      this.#forget(task);
      return;
    }
    this.#counts.failed += 1;
    const throttled = result.kind === 'response' && isThrottleStatus(result.status);
    if (throttled) {
      this.#counts.throttled += 1;
      if (this.#rate.throttle(now)) this.#counts.slowDowns += 1;
    }
    task.previousResponse = result.kind === 'response' ? result.status : 0;
    task.retryReason = result.kind === 'response' ? `HTTP ${result.status}` : result.message;
    if (this.#exhausted(task, now)) {
      this.#counts.dropped += 1;
      this.#forget(task);
      return;
    }
    const delay = retryDelayMs(task.dispatchCount, result.kind === 'response' ? result.retryAfterMs : undefined, this.#config);
    task.scheduleTime = now + delay;
    task.version += 1;
    this.#heap.push({ at: task.scheduleTime, seq: task.seq, item: task, version: task.version });
  }

  /** Set limits must all be reached ("max_retry_duration … *and* … max_attempts"); -1 and 0 mean "no limit". */
  #exhausted(task: TaskRecord, now: number): boolean {
    const { maxAttempts, maxRetryDurationMs } = this.#config;
    const attemptLimit = maxAttempts !== -1;
    const ageLimit = maxRetryDurationMs > 0;
    if (!attemptLimit && !ageLimit) return false;
    const attemptsUsed = !attemptLimit || task.dispatchCount >= maxAttempts;
    const ageUsed = !ageLimit || now - (task.firstAttempt?.dispatchTime ?? now) >= maxRetryDurationMs;
    return attemptsUsed && ageUsed;
  }
}
