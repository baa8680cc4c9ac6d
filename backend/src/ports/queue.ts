// The Queue port: durable, named, scheduled tasks with Cloud Tasks semantics (dedup by name, rate, concurrency, retry).

export type TaskKind = 'row' | 'pump';

export interface TaskPayload {
  readonly jobId: string;
  readonly rowId?: string;
  readonly dispatchSeq?: number;
}

export interface TaskSpec {
  /** Deterministic name: enqueuing a name that exists (or existed recently) is a no-op, reported as `existing`. */
  readonly name: string;
  readonly kind: TaskKind;
  readonly payload: TaskPayload;
  /** Epoch ms before which the task must not run; default now. */
  readonly scheduleAt?: number;
}

/** What a task handler tells the queue, mirroring an HTTP target's answer. */
export type TaskOutcome =
  | { readonly status: 'ok' }
  /**
   * Run this task again later. `retryAfterMs` (like a Retry-After header) sets the earliest next delivery;
   * `slowDown` (like an HTTP 429/503) tells the queue to lower its dispatch rate for a while.
   */
  | { readonly status: 'retry'; readonly retryAfterMs?: number; readonly slowDown?: boolean; readonly reason?: string };

export interface DeliveredTask {
  readonly name: string;
  readonly kind: TaskKind;
  readonly payload: TaskPayload;
  /** 1 on first delivery. */
  readonly deliveryAttempt: number;
}

export type TaskHandler = (task: DeliveredTask) => Promise<TaskOutcome>;

export interface EnqueueResult {
  readonly enqueued: number;
  readonly existing: number;
}

export interface Queue {
  enqueue(tasks: readonly TaskSpec[]): Promise<EnqueueResult>;
  /** Begin delivering tasks to the handler (a local queue calls it; a cloud queue's handler is the HTTP route). */
  start(handler: TaskHandler): void;
  /** Stop delivering; resolves when in-flight deliveries have settled. Undelivered tasks stay persisted. */
  stop(): Promise<void>;
}
