// A continuous-refill token bucket: the building block of the requests/min and tokens/min limiters.

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private blockedUntil = 0;

  /**
   * @param ratePerMs tokens added per millisecond
   * @param capacity most tokens the bucket holds (the burst)
   * @param initial tokens at the start (default: full)
   */
  constructor(
    private ratePerMs: number,
    private capacity: number,
    now: number,
    initial = capacity,
  ) {
    if (!(ratePerMs > 0)) throw new RangeError(`TokenBucket rate must be > 0, got ${ratePerMs}`);
    if (!(capacity > 0)) throw new RangeError(`TokenBucket capacity must be > 0, got ${capacity}`);
    if (!(initial >= 0 && initial <= capacity)) throw new RangeError(`TokenBucket initial must be from 0 to capacity (${capacity}), got ${initial}`);
    this.tokens = initial;
    this.updatedAt = now;
  }

  private refill(now: number): void {
    if (now > this.updatedAt) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.ratePerMs);
      this.updatedAt = now;
    }
  }

  /**
   * Take `n` tokens if available and return 0; otherwise take nothing and return the ms until they will be.
   * A request larger than the whole bucket may go when the bucket is full, leaving it in debt.
   */
  tryTake(n: number, now: number): number {
    if (now < this.blockedUntil) return this.blockedUntil - now;
    this.refill(now);
    const needed = Math.min(n, this.capacity);
    if (this.tokens >= needed) {
      this.tokens -= n;
      return 0;
    }
    return Math.ceil((needed - this.tokens) / this.ratePerMs);
  }

  /** Give back (positive) or charge more (negative) after the fact, e.g. when reported usage differs from the estimate. */
  adjust(delta: number, now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.capacity, this.tokens + delta);
  }

  /** Refuse every take until `until` (a provider said Retry-After). */
  blockUntil(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }

  /** Change the rate and burst, keeping the current fill as a fraction of the new capacity. */
  reconfigure(ratePerMs: number, capacity: number, now: number): void {
    this.refill(now);
    const fraction = this.tokens / this.capacity;
    this.ratePerMs = ratePerMs;
    this.capacity = capacity;
    this.tokens = fraction * capacity;
  }

  get rate(): number {
    return this.ratePerMs;
  }
}
