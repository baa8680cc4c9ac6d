// When Cloud Tasks retries a failed attempt: its documented doubling-then-linear schedule, with Retry-After as a floor.
import type { QueueConfig } from './queue-config.js';

/**
 * The delay after failed attempt number `attempt` (1-based): min_backoff, doubled max_doublings times, then growing
 * linearly by the last doubled step, capped at max_backoff — with min 10 s, max 300 s and 3 doublings that is
 * 10, 20, 40, 80, 160, 240, 300, 300, … seconds, the example in the RetryConfig docs.
 */
export function backoffMs(attempt: number, config: Pick<QueueConfig, 'minBackoffMs' | 'maxBackoffMs' | 'maxDoublings'>): number {
  const retry = Math.max(0, Math.floor(attempt) - 1);
  const doublings = Math.min(retry, config.maxDoublings);
  const step = config.minBackoffMs * 2 ** doublings;
  const linear = retry > config.maxDoublings ? (retry - config.maxDoublings) * step : 0;
  return Math.min(config.maxBackoffMs, step + linear);
}

/**
 * The real service "considers" a target's Retry-After: it never retries sooner than its own backoff, but waits longer
 * when the target asks (up to max_backoff). That is why a handler wanting a precise, shorter delay must re-enqueue.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, config: QueueConfig): number {
  const backoff = backoffMs(attempt, config);
  if (retryAfterMs === undefined) return backoff;
  return Math.max(backoff, Math.min(retryAfterMs, config.maxBackoffMs));
}
