// A queue's dispatch rate: a token bucket at max_dispatches_per_second that halves on 429/503 and recovers linearly.
import { maxBurstSize } from './queue-config.js';

/** Throttle signals closer together than this count once: one overload answers many requests with 429 at once. */
export const SLOW_DOWN_COOLDOWN_MS = 1000;
/** Each second without a throttle signal gives back this share of the configured rate. */
export const RECOVERY_SHARE_PER_SECOND = 0.1;
/** A throttled rate never drops below this (or the configured rate, when lower). */
export const MIN_THROTTLED_RATE = 1;

/**
 * The rule, times in ms, passed in so it is testable without a clock:
 * - tokens refill at the current rate r(t) up to maxBurstSize(r(t)); a dispatch takes one;
 * - a 429/503 at t (unless one was honoured less than the cooldown before) sets r to max(floor, r(t) / 2) and trims
 *   the bucket to its new size;
 * - then r grows by max × RECOVERY_SHARE_PER_SECOND per second back to max: 5 s from one halving.
 * The real service documents that it lowers the rate on 429/503 without saying by how much; halving is our model.
 */
export class DispatchRate {
  #max: number;
  #tokens: number;
  #refilledAt: number;
  #throttledRate: number;
  #throttledAt = Number.NEGATIVE_INFINITY;

  constructor(maxPerSecond: number, now: number) {
    this.#max = maxPerSecond;
    this.#throttledRate = maxPerSecond;
    this.#refilledAt = now;
    this.#tokens = maxBurstSize(maxPerSecond);
  }

  rate(now: number): number {
    if (this.#throttledRate >= this.#max) return this.#max;
    const elapsedSeconds = Math.max(0, now - this.#throttledAt) / 1000;
    return Math.min(this.#max, this.#throttledRate + this.#max * RECOVERY_SHARE_PER_SECOND * elapsedSeconds);
  }

  /** Changes the configured rate (UpdateQueue); a throttle in progress keeps recovering towards the new max. */
  setMax(maxPerSecond: number, now: number): void {
    this.#refill(now);
    this.#max = maxPerSecond;
    this.#throttledRate = Math.min(this.#throttledRate, maxPerSecond);
    this.#tokens = Math.min(this.#tokens, maxBurstSize(this.rate(now)));
  }

  /** Takes one token if there is one. */
  tryTake(now: number): boolean {
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until one whole token is there, at the current rate. */
  msUntilToken(now: number): number {
    this.#refill(now);
    const missing = 1 - this.#tokens;
    return missing <= 0 ? 0 : Math.ceil((missing * 1000) / this.rate(now));
  }

  /** Applies a 429/503; returns whether it changed the rate (false inside the cooldown). */
  throttle(now: number): boolean {
    if (now - this.#throttledAt < SLOW_DOWN_COOLDOWN_MS) return false;
    this.#refill(now);
    this.#throttledRate = Math.max(Math.min(MIN_THROTTLED_RATE, this.#max), this.rate(now) / 2);
    this.#throttledAt = now;
    this.#tokens = Math.min(this.#tokens, maxBurstSize(this.#throttledRate));
    return true;
  }

  #refill(now: number): void {
    const from = this.#refilledAt;
    if (now <= from) return;
    // The mean of the interval's two rates is exact while the rate recovers linearly, and never overfills at the cap.
    const meanRate = (this.rate(from) + this.rate(now)) / 2;
    this.#tokens = Math.min(maxBurstSize(this.rate(now)), this.#tokens + (meanRate * (now - from)) / 1000);
    this.#refilledAt = now;
  }
}
