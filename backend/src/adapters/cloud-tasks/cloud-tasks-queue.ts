// The production Queue: tasks are Cloud Tasks HTTP tasks with OIDC; deliveries arrive at the service's /tasks/* route.
import type { DeliveredTask, EnqueueResult, Queue, TaskHandler, TaskKind, TaskOutcome, TaskSpec } from '../../ports/queue.js';
import { answerFor, type ContinuationQueue, type TaskAnswer } from './answer.js';
import { createTaskRequest } from './create-request.js';
import { deliveredTaskFromRequest, type TaskRequestHeaders } from './delivered-task.js';
import { resolveCloudTasksQueueOptions, type CloudTasksQueueOptions, type ResolvedCloudTasksQueueOptions } from './options.js';
import { TaskRequestError } from './task-body.js';
import { TaskCreator } from './task-creator.js';
import { continuationTaskId, validateTaskSpecs } from './task-ids.js';

/** One delivery as the HTTP route hands it over. */
export interface TaskHttpRequest {
  /** Raw bytes, text, or an already parsed JSON body. */
  readonly body: unknown;
  readonly headers: TaskRequestHeaders;
  /** The kind the route was mounted for (/tasks/row → 'row'); a body of another kind is refused. */
  readonly kind?: TaskKind;
}

/** Sends the answer; resolves once it has been handed to the connection. */
export type RespondTo = (answer: TaskAnswer) => void | Promise<void>;

export interface CloudTasksQueueStats {
  /** Requests handed to the handler since construction. */
  readonly delivered: number;
  /** Handler calls in flight now. */
  readonly running: number;
  /** Retries answered with a continuation task and 200. */
  readonly continued: number;
  /** Retries answered 429 so Cloud Tasks slows the queue down. */
  readonly slowedDown: number;
  /** Retries left to Cloud Tasks' own backoff (500): no delay named, a throwing handler, a failed continuation. */
  readonly backedOff: number;
  /** Requests refused without calling the handler: 400 (not one of our tasks) or 503 (not started). */
  readonly refused: number;
}

type Phase = 'idle' | 'running' | 'stopping';

const NOT_STARTED: TaskAnswer = {
  status: 503,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ status: 'retry', reason: 'this instance is not taking tasks' }),
};

/** Thrown to the route for a delivery abandoned by halt(): it must drop the connection and answer nothing. */
export class DeliveryAbandonedError extends Error {
  constructor() {
    super('CloudTasksQueue was halted; this delivery is abandoned unanswered');
    this.name = 'DeliveryAbandonedError';
  }
}

/**
 * enqueue() creates named Cloud Tasks tasks. Delivery runs the other way: Cloud Tasks POSTs each task to
 * `${targetBaseUrl}/tasks/<kind>`, and the route passes the request to receive(), which calls the handler given to
 * start() and answers through answerFor(). So start()/stop() decide whether this process takes deliveries; they cannot
 * stop Cloud Tasks from dispatching (unless `pauseQueueWhenStopped`): a stopped queue answers 503 and Cloud Tasks
 * retries later.
 */
export class CloudTasksQueue implements Queue, ContinuationQueue {
  readonly #options: ResolvedCloudTasksQueueOptions;
  readonly #creator: TaskCreator;
  #phase: Phase = 'idle';
  #handler: TaskHandler | undefined;
  /** Bumped by halt(): a delivery that started under an older generation never answers. */
  #generation = 0;
  /** In-flight deliveries and when Cloud Tasks gives up on each (its dispatch deadline); stop() waits no longer. */
  readonly #inFlight = new Map<symbol, number>();
  #idleWaiters: (() => void)[] = [];
  /** Queue pause/resume calls, in order, so a quick start() then stop() cannot land reversed. */
  #stateChange: Promise<void> = Promise.resolve();
  #stopping: Promise<void> | undefined;
  #stats = { delivered: 0, continued: 0, slowedDown: 0, backedOff: 0, refused: 0 };

  constructor(options: CloudTasksQueueOptions) {
    this.#options = resolveCloudTasksQueueOptions(options);
    this.#creator = new TaskCreator(this.#options.client, this.#options.clock);
  }

  async enqueue(tasks: readonly TaskSpec[]): Promise<EnqueueResult> {
    validateTaskSpecs(tasks);
    // A name repeated within one call costs no round trip: it is already "existing" by the time its twin lands.
    const unique = new Map<string, TaskSpec>();
    for (const task of tasks) if (!unique.has(task.name)) unique.set(task.name, task);
    // Cloud Tasks sets a schedule time in the past to "now", so past-due tasks run in creation order: creating them
    // earliest first keeps them in schedule order, as far as a queue that promises no order can be kept in one.
    const now = this.#options.clock.now();
    const due = (spec: TaskSpec): number => spec.scheduleAt ?? now;
    const ordered = [...unique.values()].sort((a, b) => due(a) - due(b));
    const requests = ordered.map((spec) => createTaskRequest(this.#options, spec.name, spec));
    const { created, existing } = await this.#creator.createAll(requests, this.#options.enqueueConcurrency);
    return { enqueued: created, existing: existing + (tasks.length - unique.size) };
  }

  async continueLater(task: DeliveredTask, delayMs: number): Promise<void> {
    const { clock, maxRetryDelayMs } = this.#options;
    const next = task.deliveryAttempt + 1;
    const spec: TaskSpec = { name: task.name, kind: task.kind, payload: task.payload, scheduleAt: clock.now() + Math.min(Math.max(0, delayMs), maxRetryDelayMs) };
    await this.#creator.create(createTaskRequest(this.#options, continuationTaskId(task.name, next), spec, task.deliveryAttempt));
  }

  start(handler: TaskHandler): void {
    if (typeof handler !== 'function') throw new TypeError(`Expected \`handler\` to be a function, got \`${String(handler)}\` (${typeof handler})`);
    if (this.#phase !== 'idle') throw new Error('CloudTasksQueue is already started; await stop() before starting it again');
    this.#handler = handler;
    this.#phase = 'running';
    if (this.#options.pauseQueueWhenStopped) this.#changeQueueState('resume');
  }

  /** Stops taking deliveries (new ones get 503) and resolves once those in flight are answered or past their deadline. */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    if (this.#phase === 'idle') return this.#stateChange;
    this.#phase = 'stopping';
    if (this.#options.pauseQueueWhenStopped) this.#changeQueueState('pause');
    const generation = this.#generation;
    this.#stopping = (async () => {
      try {
        await this.#stateChange;
        await this.#whenIdle();
      } finally {
        // A halt() (and maybe a new start()) while this stop waited owns the state now.
        if (generation === this.#generation) {
          this.#phase = 'idle';
          this.#handler = undefined;
          this.#stopping = undefined;
        }
      }
    })();
    return this.#stopping;
  }

  /**
   * Stops at once and abandons deliveries in flight: they never answer (receive() rejects with DeliveryAbandonedError
   * and the route drops the connection), so Cloud Tasks retries them — what a crash does. For crash tests, and a
   * shutdown that cannot wait.
   */
  halt(): void {
    this.#generation += 1;
    this.#phase = 'idle';
    this.#handler = undefined;
    this.#stopping = undefined;
    this.#inFlight.clear();
    this.#releaseIdleWaiters();
  }

  stats(): CloudTasksQueueStats {
    return { ...this.#stats, running: this.#inFlight.size };
  }

  /**
   * Handles one POST /tasks/<kind>: parses it, calls the handler, and answers through `respond`. The delivery counts as
   * in flight until `respond` resolves, so stop() returns only once every answer is on its way to Cloud Tasks.
   * Authentication (the OIDC token) is the route's job and must happen before this.
   */
  async receive(request: TaskHttpRequest, respond: RespondTo): Promise<void> {
    const handler = this.#handler;
    if (this.#phase !== 'running' || !handler) {
      this.#stats.refused += 1;
      return respond(NOT_STARTED);
    }
    let task: DeliveredTask;
    try {
      task = deliveredTaskFromRequest(request.body, request.headers);
      if (request.kind !== undefined && task.kind !== request.kind) throw new TaskRequestError(`Expected a ${request.kind} task at this route, got a ${task.kind} task`);
    } catch (error) {
      if (!(error instanceof TaskRequestError)) throw error;
      this.#stats.refused += 1;
      return respond({ status: 400, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ error: { code: 'bad_task', message: error.message } }) });
    }

    const generation = this.#generation;
    const id = Symbol(task.name);
    this.#inFlight.set(id, this.#options.clock.now() + this.#options.dispatchDeadlineMs);
    this.#stats.delivered += 1;
    try {
      const outcome = await runHandler(handler, task);
      if (generation !== this.#generation) throw new DeliveryAbandonedError();
      const answer = await answerFor(outcome, task, this);
      if (generation !== this.#generation) throw new DeliveryAbandonedError();
      this.#count(outcome, answer);
      await respond(answer);
    } finally {
      if (this.#inFlight.delete(id) && this.#inFlight.size === 0) this.#releaseIdleWaiters();
    }
  }

  #count(outcome: TaskOutcome, answer: TaskAnswer): void {
    if (answer.status === 429) this.#stats.slowedDown += 1;
    else if (answer.status >= 500) this.#stats.backedOff += 1;
    else if (outcome.status === 'retry') this.#stats.continued += 1;
  }

  #changeQueueState(change: 'pause' | 'resume'): void {
    const { client, queuePath, logger } = this.#options;
    this.#stateChange = this.#stateChange.then(async () => {
      try {
        await (change === 'pause' ? client.pauseQueue({ name: queuePath }) : client.resumeQueue({ name: queuePath }));
      } catch (error) {
        logger?.warn({ queue: queuePath, code: (error as { code?: unknown }).code }, `could not ${change} the Cloud Tasks queue`);
      }
    });
  }

  /** Resolves when nothing is in flight, or when every delivery still in flight is past its dispatch deadline. */
  #whenIdle(): Promise<void> {
    if (this.#inFlight.size === 0) return Promise.resolve();
    const latest = Math.max(...this.#inFlight.values());
    return new Promise((resolve) => {
      const controller = new AbortController();
      const done = (): void => {
        controller.abort();
        resolve();
      };
      this.#idleWaiters.push(done);
      // Past the deadline Cloud Tasks has given up on the answer; waiting longer would only delay shutdown.
      this.#options.clock.sleep(Math.max(0, latest - this.#options.clock.now()), controller.signal).then(done, () => undefined);
    });
  }

  #releaseIdleWaiters(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** A throwing handler is a retry with the queue's own backoff, named by the error's class only (messages may carry secrets). */
async function runHandler(handler: TaskHandler, task: DeliveredTask): Promise<TaskOutcome> {
  try {
    return await handler(task);
  } catch (error) {
    return { status: 'retry', reason: `handler threw ${error instanceof Error ? error.name : typeof error}` };
  }
}
