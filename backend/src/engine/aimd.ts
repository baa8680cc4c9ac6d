// Adaptive concurrency: halve the in-flight window on a 429, grow it back additively on success, never above its ceiling.

export class AimdWindow {
  private window: number;
  private ceiling: number;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;

  /**
   * @param max the window's ceiling: the job's `workers`, or in auto mode what the rate limits can serve (`setCeiling`)
   * @param cooldownMs 429s within this long of a decrease belong to the same burst and halve only once
   */
  constructor(
    max: number,
    private readonly cooldownMs = 1000,
  ) {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`AimdWindow max must be an integer >= 1, got ${max}`);
    this.ceiling = max;
    this.window = max;
  }

  /** The number of rows that may be in flight now. */
  get size(): number {
    return Math.max(1, Math.floor(this.window));
  }

  get max(): number {
    return this.ceiling;
  }

  /**
   * Move the ceiling (auto mode: it follows the rate limits and the observed latency). A window that was at the old
   * ceiling follows it up, since no 429 held it back; a window cut by 429s keeps growing back at its own pace.
   */
  setCeiling(max: number): void {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`AimdWindow max must be an integer >= 1, got ${max}`);
    const atCeiling = this.window >= this.ceiling;
    this.ceiling = max;
    if (atCeiling || this.window > max) this.window = max;
  }

  /** `burstMs` (default: the cooldown) widens the burst: answers to calls sent before the cut arrive up to a latency later. */
  onRateLimited(now: number, burstMs = this.cooldownMs): void {
    if (now - this.lastDecreaseAt < Math.max(this.cooldownMs, burstMs)) return;
    this.lastDecreaseAt = now;
    this.window = Math.max(1, this.window / 2);
  }

  /**
   * Additive increase per window's worth of successes, as TCP congestion avoidance does: one row up to a ceiling of 99
   * (so every `workers` job grows as it always did), a fiftieth of the ceiling above, so a 500-row window cut in half
   * is back within ~25 round trips rather than 250.
   */
  onSuccess(): void {
    const step = Math.max(1, Math.floor(this.ceiling / 50));
    this.window = Math.min(this.ceiling, this.window + step / this.window);
  }
}
