// Per-model requests/min and tokens/min limits: two token buckets, learned from config or the provider's headers.
import type { RateLimitInfo } from '../ports/model.js';
import { TokenBucket } from '../kernel/token-bucket.js';

export interface RateLimiterOptions {
  /** Fraction of the provider's limit we aim for, leaving headroom for clock skew. Default 0.99. */
  readonly headroom?: number;
  /** Seconds of traffic a full bucket allows in one burst. Default 1. */
  readonly burstSeconds?: number;
  /**
   * Share of the burst held back when a limit first becomes known. Default 0.25. The provider's own bucket is full
   * when a job starts and so is ours: requests taken together leave in a bunch (connections open, rows are claimed
   * one by one) and arrive closer together than they were taken, which is what drew 429s in a job's first second.
   */
  readonly startSlack?: number;
}

export interface ModelLimits {
  readonly rpm?: number | undefined;
  readonly tpm?: number | undefined;
}

interface ModelBuckets {
  requests?: TokenBucket;
  tokens?: TokenBucket;
  /** Limits given in config win over limits read from headers. */
  configured: { rpm: boolean; tpm: boolean };
}

export class RateLimiter {
  private readonly headroom: number;
  private readonly burstSeconds: number;
  private readonly startSlack: number;
  private readonly models = new Map<string, ModelBuckets>();

  constructor(options: RateLimiterOptions = {}) {
    this.headroom = options.headroom ?? 0.99;
    this.burstSeconds = options.burstSeconds ?? 1;
    this.startSlack = options.startSlack ?? 0.25;
    if (!(this.startSlack >= 0 && this.startSlack < 1)) throw new RangeError(`startSlack must be in [0, 1), got ${this.startSlack}`);
    if (!(this.headroom > 0 && this.headroom <= 1)) throw new RangeError(`headroom must be in (0, 1], got ${this.headroom}`);
    if (!(this.burstSeconds > 0)) throw new RangeError(`burstSeconds must be > 0, got ${this.burstSeconds}`);
  }

  /** `slack`: the share of the burst held back at the start (requests only: one request may need most of a token burst). */
  private bucketFor(perMinute: number, now: number, slack: number): TokenBucket {
    const rate = (perMinute * this.headroom) / 60_000;
    const capacity = Math.max(1, rate * 1000 * this.burstSeconds);
    return new TokenBucket(rate, capacity, now, Math.max(1, capacity * (1 - slack)));
  }

  private reconfigure(bucket: TokenBucket | undefined, perMinute: number, now: number, slack: number): TokenBucket {
    if (!bucket) return this.bucketFor(perMinute, now, slack);
    const rate = (perMinute * this.headroom) / 60_000;
    if (Math.abs(bucket.rate - rate) > rate * 0.01) bucket.reconfigure(rate, Math.max(1, rate * 1000 * this.burstSeconds), now);
    return bucket;
  }

  /** Set limits from config; a limit set here is never overridden by headers. */
  configure(model: string, limits: ModelLimits, now: number): void {
    const m = this.entry(model);
    if (limits.rpm) {
      m.requests = this.reconfigure(m.requests, limits.rpm, now, this.startSlack);
      m.configured.rpm = true;
    }
    if (limits.tpm) {
      m.tokens = this.reconfigure(m.tokens, limits.tpm, now, 0);
      m.configured.tpm = true;
    }
  }

  private entry(model: string): ModelBuckets {
    let m = this.models.get(model);
    if (!m) {
      m = { configured: { rpm: false, tpm: false } };
      this.models.set(model, m);
    }
    return m;
  }

  /**
   * Take one request and `tokens` tokens if both fit now and return 0; otherwise take nothing and return the ms to
   * wait before trying again.
   */
  tryAcquire(model: string, tokens: number, now: number): number {
    const m = this.models.get(model);
    if (!m) return 0;
    const waitRequests = m.requests?.tryTake(1, now) ?? 0;
    if (waitRequests > 0) return waitRequests;
    const waitTokens = m.tokens?.tryTake(tokens, now) ?? 0;
    if (waitTokens > 0) {
      m.requests?.adjust(1, now);
      return waitTokens;
    }
    return 0;
  }

  /** Undo an acquire whose call never happened. */
  refund(model: string, tokens: number, now: number): void {
    const m = this.models.get(model);
    m?.requests?.adjust(1, now);
    m?.tokens?.adjust(tokens, now);
  }

  /** Correct the token estimate with what the provider reported. */
  reconcile(model: string, estimatedTokens: number, actualTokens: number, now: number): void {
    this.models.get(model)?.tokens?.adjust(estimatedTokens - actualTokens, now);
  }

  /** Learn limits from `x-ratelimit-*` headers when config gave none. */
  observe(model: string, info: RateLimitInfo | undefined, now: number): void {
    if (!info) return;
    const m = this.entry(model);
    if (!m.configured.rpm && info.limitRequests && info.limitRequests > 0) m.requests = this.reconfigure(m.requests, info.limitRequests, now, this.startSlack);
    if (!m.configured.tpm && info.limitTokens && info.limitTokens > 0) m.tokens = this.reconfigure(m.tokens, info.limitTokens, now, 0);
  }

  /** The provider answered 429: hold every call to this model until it said we may go again. */
  backOff(model: string, retryAfterMs: number, now: number): void {
    const m = this.entry(model);
    if (!m.requests) m.requests = new TokenBucket(1 / 1000, 1, now);
    m.requests.blockUntil(now + retryAfterMs);
  }
}
