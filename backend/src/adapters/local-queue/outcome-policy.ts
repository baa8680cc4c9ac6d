// Turns what a handler answered (or threw) into what the table records: complete, retry at a time, or drop.
import type { Random } from '../../ports/clock.js';
import type { TaskOutcome } from '../../ports/queue.js';
import { retryDelayMs, type BackoffSettings } from './backoff.js';
import type { ClaimedTask, RecordedOutcome } from './task-table.js';

export interface OutcomePolicySettings extends BackoffSettings {
  /** -1 for unlimited. */
  readonly maxAttempts: number;
}

export interface Decision {
  readonly record: RecordedOutcome;
  /** The handler asked the queue to lower its dispatch rate (an HTTP 429/503). */
  readonly slowDown: boolean;
}

/** What a throwing handler counts as: a retry, named by the error's class only, since messages may carry secrets. */
export function thrownOutcome(error: unknown): TaskOutcome {
  return { status: 'retry', reason: `handler threw ${errorName(error)}` };
}

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** An answer that is neither `ok` nor `retry` (a JavaScript caller, a bug) is treated as a failed attempt, never as success. */
export function decideOutcome(task: ClaimedTask, outcome: unknown, now: number, settings: OutcomePolicySettings, random: Random): Decision {
  const answer = outcome as Partial<TaskOutcome> | null | undefined;
  if (answer?.status === 'ok') return { record: { type: 'complete', task }, slowDown: false };

  const retry = answer?.status === 'retry' ? (answer as Extract<TaskOutcome, { status: 'retry' }>) : undefined;
  const reason = retry ? retry.reason : 'handler returned an invalid outcome';
  const slowDown = retry?.slowDown === true;
  if (settings.maxAttempts !== -1 && task.attempt >= settings.maxAttempts) {
    return { record: { type: 'drop', task, reason }, slowDown };
  }
  const runAt = Math.ceil(now + retryDelayMs(task.attempt, retry?.retryAfterMs, settings, random));
  return { record: { type: 'retry', task, runAt }, slowDown };
}
