// Retry timing: capped exponential backoff with full jitter that honours Retry-After, and per-attempt timeouts.

export interface BackoffPolicy {
  /** Delay ceiling of the first retry (ms). */
  readonly baseMs: number;
  /** No retry waits longer than this, unless the provider's Retry-After says so. */
  readonly capMs: number;
}

/**
 * Delay before retry number `attempt` (1 = first retry): uniform in [0, min(cap, base·2^(attempt−1))] — full jitter
 * spreads a burst of failures so they do not return together — and never less than the provider's Retry-After.
 * `random` is uniform in [0, 1) (the Clock port's Random), injectable so jitter is reproducible in tests.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered;
}

/** Timeout of attempt `attempt` (1-based): the base grows ×1.5 per attempt up to the cap. */
export function attemptTimeout(baseMs: number, capMs: number, attempt: number): number {
  return Math.min(capMs, Math.round(baseMs * 1.5 ** Math.max(0, attempt - 1)));
}
