// How long a task waits before its next delivery after a failed attempt, with Cloud Tasks' retry shape.
import type { Random } from '../../ports/clock.js';

export interface BackoffSettings {
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxDoublings: number;
}

/**
 * Cloud Tasks' schedule for the retry after failed attempt `attempt` (1-based): start at minBackoffMs, double
 * maxDoublings times, then grow linearly by the last doubled step, capped at maxBackoffMs. With min 10 s, max 300 s
 * and 3 doublings that is 10, 20, 40, 80, 160, 240, 300, 300, … seconds.
 */
export function backoffMs(attempt: number, settings: BackoffSettings): number {
  const { minBackoffMs, maxBackoffMs, maxDoublings } = settings;
  const retry = Math.max(0, Math.floor(attempt) - 1);
  const doublings = Math.min(retry, maxDoublings);
  const step = minBackoffMs * 2 ** doublings;
  const linear = retry > maxDoublings ? (retry - maxDoublings) * step : 0;
  return Math.min(maxBackoffMs, step + linear);
}

/**
 * The backoff plus up to 10% random jitter, still capped at maxBackoffMs. Jitter only adds, so minBackoffMs stays a
 * floor; it exists so that a burst of tasks that failed together does not come due in the same millisecond.
 */
export function jitteredBackoffMs(attempt: number, settings: BackoffSettings, random: Random): number {
  const base = backoffMs(attempt, settings);
  return Math.min(settings.maxBackoffMs, base + base * 0.1 * random());
}

/**
 * The delay before redelivery. A handler that names its Retry-After knows when the task can succeed (a row's retry
 * time, the rate limiter's next slot), so that delay is used as given, up to maxBackoffMs; the queue's own
 * exponential backoff applies only when the handler names none. Otherwise a row that waited many times for the
 * rate limiter would be pushed back minutes by deliveries that were never failures.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, settings: BackoffSettings, random: Random): number {
  if (typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return Math.min(settings.maxBackoffMs, retryAfterMs);
  return jitteredBackoffMs(attempt, settings, random);
}
