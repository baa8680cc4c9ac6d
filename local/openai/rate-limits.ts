// Requests-per-minute and tokens-per-minute limits as continuous token buckets, plus the headers that report them.
import { formatOpenAiDuration } from './duration.js';

/** Reported as the limit when none is configured, so clients that read the headers see "plenty". */
export const UNLIMITED_REPORT = 1_000_000_000;

/** A bucket of `capacity` units refilling at `perMs` units per ms; time is passed in so the maths is testable. */
export class TokenBucket {
  readonly capacity: number;
  private readonly perMs: number;
  private level: number;
  private updatedAt: number;

  constructor(limitPerMinute: number, burstSeconds: number, now: number) {
    this.capacity = (limitPerMinute * burstSeconds) / 60;
    this.perMs = limitPerMinute / 60_000;
    this.level = this.capacity;
    this.updatedAt = now;
  }

  available(now: number): number {
    this.refill(now);
    return this.level;
  }

  /**
   * ms until `amount` can be admitted. A cost above the capacity is admitted once the bucket is full and then drives
   * it negative, so an oversized request is slowed, not refused for ever, and the long-run rate still holds.
   */
  waitMs(amount: number, now: number): number {
    const needed = Math.min(amount, this.capacity);
    const missing = needed - this.available(now);
    // A hair of tolerance: refills accumulate float error, and 0.9999999 of a request is a full request.
    return missing <= 1e-9 ? 0 : missing / this.perMs;
  }

  take(amount: number, now: number): void {
    this.refill(now);
    this.level -= amount;
  }

  /** ms until the bucket is full again. */
  resetMs(now: number): number {
    return (this.capacity - this.available(now)) / this.perMs;
  }

  private refill(now: number): void {
    if (now > this.updatedAt) {
      this.level = Math.min(this.capacity, this.level + (now - this.updatedAt) * this.perMs);
      this.updatedAt = now;
    }
  }
}

export interface RateLimitSettings {
  readonly rpm: number | null;
  readonly tpm: number | null;
  readonly burstSeconds: number;
}

export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly kind: 'requests' | 'tokens'; readonly retryAfterMs: number; readonly limit: number };

/** Both buckets together: a request is admitted only when both have room, and only then charged to both. */
export class RateLimiter {
  private readonly requests: TokenBucket | null;
  private readonly tokens: TokenBucket | null;

  constructor(
    private readonly settings: RateLimitSettings,
    now: number,
  ) {
    this.requests = settings.rpm === null ? null : new TokenBucket(settings.rpm, settings.burstSeconds, now);
    this.tokens = settings.tpm === null ? null : new TokenBucket(settings.tpm, settings.burstSeconds, now);
  }

  tryAdmit(tokenCost: number, now: number): Admission {
    const requestWait = this.requests?.waitMs(1, now) ?? 0;
    if (requestWait > 0) return { admitted: false, kind: 'requests', retryAfterMs: requestWait, limit: this.settings.rpm ?? 0 };
    const tokenWait = this.tokens?.waitMs(tokenCost, now) ?? 0;
    if (tokenWait > 0) return { admitted: false, kind: 'tokens', retryAfterMs: tokenWait, limit: this.settings.tpm ?? 0 };
    this.requests?.take(1, now);
    this.tokens?.take(tokenCost, now);
    return { admitted: true };
  }

  /** The `x-ratelimit-*` headers: remaining is what could be sent right now, reset is the time until full again. */
  headers(now: number): Record<string, string> {
    return {
      'x-ratelimit-limit-requests': String(this.settings.rpm ?? UNLIMITED_REPORT),
      'x-ratelimit-limit-tokens': String(this.settings.tpm ?? UNLIMITED_REPORT),
      'x-ratelimit-remaining-requests': String(remaining(this.requests, now)),
      'x-ratelimit-remaining-tokens': String(remaining(this.tokens, now)),
      'x-ratelimit-reset-requests': formatOpenAiDuration(this.requests?.resetMs(now) ?? 0),
      'x-ratelimit-reset-tokens': formatOpenAiDuration(this.tokens?.resetMs(now) ?? 0),
    };
  }
}

function remaining(bucket: TokenBucket | null, now: number): number {
  return bucket === null ? UNLIMITED_REPORT : Math.max(0, Math.floor(bucket.available(now)));
}
