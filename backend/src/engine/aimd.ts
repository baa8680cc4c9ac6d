// Adaptive concurrency: halve the in-flight window on a 429, grow it back additively on success, never above workers.

export class AimdWindow {
  private window: number;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;

  /**
   * @param max the job's `workers`: the window never exceeds it
   * @param cooldownMs 429s within this long of a decrease belong to the same burst and halve only once
   */
  constructor(
    private readonly max: number,
    private readonly cooldownMs = 1000,
  ) {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`AimdWindow max must be an integer >= 1, got ${max}`);
    this.window = max;
  }

  /** The number of rows that may be in flight now. */
  get size(): number {
    return Math.max(1, Math.floor(this.window));
  }

  onRateLimited(now: number): void {
    if (now - this.lastDecreaseAt < this.cooldownMs) return;
    this.lastDecreaseAt = now;
    this.window = Math.max(1, this.window / 2);
  }

  /** Additive increase of one row per window's worth of successes, as TCP congestion avoidance does. */
  onSuccess(): void {
    this.window = Math.min(this.max, this.window + 1 / this.window);
  }
}
