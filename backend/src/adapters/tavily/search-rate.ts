// The search API's own requests/min limit: the engine's token bucket, slowed on a 429 and recovering on success.
import { TokenBucket } from '../../kernel/token-bucket.js';

/** 429s within this long of a slow-down belong to the same burst and slow the rate once. */
const COOLDOWN_MS = 1_000;
/** Never learn a rate below this many requests per minute. */
const FLOOR_RPM = 1;

export class SearchRate {
  private readonly bucket: TokenBucket;
  private rpm: number;
  private lastSlowdownAt = Number.NEGATIVE_INFINITY;

  /** @param maxRpm the set limit: the learned rate starts there and never exceeds it */
  constructor(
    private readonly maxRpm: number,
    now: number,
  ) {
    this.rpm = maxRpm;
    this.bucket = new TokenBucket(maxRpm / 60_000, capacityFor(maxRpm), now);
  }

  /** 0 when a request may go now (and it is counted), else the ms to wait before asking again. */
  tryTake(now: number): number {
    return this.bucket.tryTake(1, now);
  }

  /** The API said 429: nothing goes before its Retry-After (1 s when it gave none), and the rate drops by a quarter. */
  onRateLimited(now: number, retryAfterMs: number | undefined): void {
    this.bucket.blockUntil(now + (retryAfterMs ?? 1_000));
    if (now - this.lastSlowdownAt < COOLDOWN_MS) return;
    this.lastSlowdownAt = now;
    this.setRpm(Math.max(FLOOR_RPM, this.rpm * 0.75), now);
  }

  /** A success: the rate creeps back toward the set limit (1% of it per success). */
  onSuccess(now: number): void {
    if (this.rpm < this.maxRpm) this.setRpm(Math.min(this.maxRpm, this.rpm + this.maxRpm / 100), now);
  }

  /** The rate in force, requests per minute. */
  get requestsPerMinute(): number {
    return this.rpm;
  }

  private setRpm(rpm: number, now: number): void {
    this.rpm = rpm;
    this.bucket.reconfigure(rpm / 60_000, capacityFor(rpm), now);
  }
}

/** One second's worth of requests, and at least one, so a burst never outruns the API's own per-minute window by much. */
function capacityFor(rpm: number): number {
  return Math.max(1, rpm / 60);
}
