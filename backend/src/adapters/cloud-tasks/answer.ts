// Turns a handler's outcome into the HTTP answer Cloud Tasks gets, re-enqueueing when only a precise delay will do.
import type { DeliveredTask, TaskOutcome } from '../../ports/queue.js';

export interface TaskAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text; Cloud Tasks ignores it, a person reading logs does not. */
  readonly body: string;
}

/** Where a retry with a precise delay goes: a new task that carries the next delivery. */
export interface ContinuationQueue {
  /**
   * Enqueues delivery `task.deliveryAttempt + 1` of the task, due `delayMs` from now, under a name derived from the
   * task's name and delivery number (so a duplicate delivery enqueues nothing new). Rejects when it could not.
   */
  continueLater(task: DeliveredTask, delayMs: number): Promise<void>;
}

const json = (status: number, body: object, headers: Record<string, string> = {}): TaskAnswer => ({
  status,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/**
 * - ok → 200: Cloud Tasks deletes the task.
 * - retry with slowDown → 429 (+ Retry-After in whole seconds, rounded up): Cloud Tasks lowers the queue's rate and
 *   redelivers after its own backoff or the Retry-After, whichever is longer. Slowing the queue is the point here.
 * - retry with retryAfterMs → a continuation task due at now + retryAfterMs, and 200. Cloud Tasks would otherwise
 *   retry no sooner than its queue backoff (growing with every attempt, in whole seconds), not when the handler said:
 *   docs/decisions.md §3. If the continuation cannot be enqueued, 500 lets Cloud Tasks retry this delivery instead.
 * - retry with neither, or anything that is not a valid outcome → 500: Cloud Tasks' own backoff decides.
 */
export async function answerFor(outcome: TaskOutcome, task: DeliveredTask, queue: ContinuationQueue): Promise<TaskAnswer> {
  const answer = outcome as Partial<TaskOutcome> | null | undefined;
  if (answer?.status === 'ok') return json(200, { status: 'ok' });
  if (answer?.status !== 'retry') return json(500, { status: 'retry', reason: 'handler returned an invalid outcome' });

  const retry = answer as Extract<TaskOutcome, { status: 'retry' }>;
  const reason = retry.reason === undefined ? {} : { reason: retry.reason };
  const delayMs = typeof retry.retryAfterMs === 'number' && Number.isFinite(retry.retryAfterMs) && retry.retryAfterMs >= 0 ? retry.retryAfterMs : undefined;
  if (retry.slowDown === true) {
    const retryAfter: Record<string, string> = delayMs === undefined ? {} : { 'Retry-After': String(Math.ceil(delayMs / 1000)) };
    return json(429, { status: 'retry', ...reason }, retryAfter);
  }
  if (delayMs === undefined) return json(500, { status: 'retry', ...reason });
  try {
    await queue.continueLater(task, delayMs);
  } catch {
    return json(500, { status: 'retry', ...reason, continuation: 'failed' });
  }
  return json(200, { status: 'retry', ...reason, continuation: 'enqueued' });
}
