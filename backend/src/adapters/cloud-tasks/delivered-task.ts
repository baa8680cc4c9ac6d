// Turns a Cloud Tasks HTTP request (body and headers) into the DeliveredTask a handler sees.
import type { DeliveredTask } from '../../ports/queue.js';
import { parseTaskBody, TaskRequestError } from './task-body.js';

/** Request headers as Express or node:http give them (any case; a repeated header as an array). */
export type TaskRequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export const RETRY_COUNT_HEADER = 'x-cloudtasks-taskretrycount';

/**
 * `deliveryAttempt` is the body's attemptOffset (deliveries before this Cloud Tasks task existed) plus this task's own
 * attempt number, from X-CloudTasks-TaskRetryCount (0 on a first attempt, counting attempts that got no answer or a
 * 5xx) — not X-CloudTasks-TaskExecutionCount, which skips 5xx answers and so would repeat a number after a throw.
 * Throws TaskRequestError on anything that is not one of our tasks.
 */
export function deliveredTaskFromRequest(body: unknown, headers: TaskRequestHeaders): DeliveredTask {
  const parsed = parseTaskBody(body);
  const retryCount = headerValue(headers, RETRY_COUNT_HEADER);
  if (retryCount === undefined || !/^\d+$/.test(retryCount)) {
    throw new TaskRequestError(`Expected an X-CloudTasks-TaskRetryCount header with a whole number, got \`${String(retryCount)}\``);
  }
  return { name: parsed.name, kind: parsed.kind, payload: parsed.payload, deliveryAttempt: (parsed.attemptOffset ?? 0) + Number(retryCount) + 1 };
}

function headerValue(headers: TaskRequestHeaders, lowerName: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== lowerName) continue;
    return typeof value === 'string' ? value.trim() : value?.[0]?.trim();
  }
  return undefined;
}
