// The dispatch rate limit: a token bucket at maxDispatchesPerSecond that halves on slow-down signals and recovers linearly.

/** After an idle spell this many seconds' worth of dispatches (at least one) may go out back to back. */
export const BURST_SECONDS = 0.1;
/** Slow-down signals closer together than this count once: one overload answers many requests with 429 at once. */
export const SLOW_DOWN_COOLDOWN_MS = 1000;
/** Each second without a slow-down signal gives back this share of the configured rate. */
export const RECOVERY_SHARE_PER_SECOND = 0.1;
/** A slowed rate never drops below this many dispatches per second (or the configured rate, when that is lower). */
export const MIN_SLOWED_RATE = 1;

/**
 * The rule, all times in ms:
 * - tokens refill at the current rate r(t), up to a bucket of max(1, r(t) × BURST_SECONDS); a dispatch takes one token;
 * - a slow-down signal at time t, unless another one was honoured less than SLOW_DOWN_COOLDOWN_MS before, sets the
 *   rate to max(min(MIN_SLOWED_RATE, max), r(t) / 2) and empties the bucket down to its new size;
 * - from then on r grows by max × RECOVERY_SHARE_PER_SECOND per second until it is back at max: from one halving
 *   the queue recovers in 5 s, from the floor in at most 10 s.
 * Time is passed in rather than read, so the rule is testable without a clock.
 */
export class DispatchRate {
  readonly #max: number;
  #tokens: number;
  #refilledAt: number;
  /** The rate right after the last honoured slow-down, and when that was; no slow-down yet means full rate. */
  #slowedRate: number;
  #slowedAt = Number.NEGATIVE_INFINITY;

  constructor(maxPerSecond: number, now: number) {
    this.#max = maxPerSecond;
    this.#slowedRate = maxPerSecond;
    this.#refilledAt = now;
    this.#tokens = this.#capacity(maxPerSecond);
  }

  /** Dispatches per second allowed at `now`. */
  rate(now: number): number {
    if (this.#slowedRate >= this.#max) return this.#max;
    const elapsedSeconds = Math.max(0, now - this.#slowedAt) / 1000;
    return Math.min(this.#max, this.#slowedRate + this.#max * RECOVERY_SHARE_PER_SECOND * elapsedSeconds);
  }

  /** Whole dispatches allowed right now. */
  available(now: number): number {
    this.#refill(now);
    return Math.floor(this.#tokens);
  }

  take(count: number, now: number): void {
    this.#refill(now);
    this.#tokens = Math.max(0, this.#tokens - count);
  }

  /** Milliseconds until `wanted` whole dispatches are allowed (capped at the bucket size), assuming the current rate. */
  msUntil(wanted: number, now: number): number {
    this.#refill(now);
    const rate = this.rate(now);
    const target = Math.min(Math.max(1, wanted), Math.max(1, Math.floor(this.#capacity(rate))));
    const missing = target - this.#tokens;
    return missing <= 0 ? 0 : Math.ceil((missing * 1000) / rate);
  }

  /** Applies a slow-down signal; returns whether it changed the rate (false inside the cooldown). */
  slowDown(now: number): boolean {
    if (now - this.#slowedAt < SLOW_DOWN_COOLDOWN_MS) return false;
    this.#refill(now);
    const floor = Math.min(MIN_SLOWED_RATE, this.#max);
    this.#slowedRate = Math.max(floor, this.rate(now) / 2);
    this.#slowedAt = now;
    this.#tokens = Math.min(this.#tokens, this.#capacity(this.#slowedRate));
    return true;
  }

  #capacity(rate: number): number {
    return Math.max(1, rate * BURST_SECONDS);
  }

  #refill(now: number): void {
    const from = this.#refilledAt;
    if (now <= from) return;
    // The rate may be recovering during the interval; the mean of its two ends is exact for linear growth and
    // slightly under at the cap, so the bucket never overfills.
    const meanRate = (this.rate(from) + this.rate(now)) / 2;
    this.#tokens = Math.min(this.#capacity(this.rate(now)), this.#tokens + (meanRate * (now - from)) / 1000);
    this.#refilledAt = now;
  }
}
