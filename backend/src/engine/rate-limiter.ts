// Per-model requests/min and tokens/min limits: two token buckets, learned from config or the provider's headers.
import type { RateLimitInfo } from '../ports/model.js';
import { TokenBucket } from '../kernel/token-bucket.js';

export interface RateLimiterOptions {
  /** Fraction of the provider's limit we aim for, leaving headroom for clock skew. Default 0.99. */
  readonly headroom?: number;
  /** Seconds of traffic a full bucket allows in one burst. Default 1. */
  readonly burstSeconds?: number;
  /**
   * Share of the requests burst never used. Default 0.25. Requests taken together leave in a bunch (connections open,
   * rows are claimed one by one, one event loop serves hundreds of rows) and arrive closer together than they were
   * taken: with a full burst of our own against the provider's full burst, that drew 429s in a job's first second and
   * after every lull. A configured limit's bucket starts at this smaller capacity; one learned from headers, empty.
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
  /** Limits set by config or headers (a bucket made only to hold a 429's Retry-After knows no rate). */
  known: { rpm: boolean; tpm: boolean };
  /** The latest Retry-After's end (the requests bucket enforces it; this lets a waiting line estimate it). */
  blockedUntil: number;
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

  /**
   * `slack`: the share of the provider's burst never used (requests only: one request may need most of a token burst).
   * `initial`: the fill to start from (default: full).
   */
  private bucketFor(perMinute: number, now: number, slack: number, initial?: number): TokenBucket {
    const rate = (perMinute * this.headroom) / 60_000;
    const capacity = this.capacity(rate, slack);
    return new TokenBucket(rate, capacity, now, initial ?? capacity);
  }

  private capacity(ratePerMs: number, slack: number): number {
    return Math.max(1, ratePerMs * 1000 * this.burstSeconds * (1 - slack));
  }

  private reconfigure(bucket: TokenBucket | undefined, perMinute: number, now: number, slack: number): TokenBucket {
    if (!bucket) return this.bucketFor(perMinute, now, slack);
    const rate = (perMinute * this.headroom) / 60_000;
    if (Math.abs(bucket.rate - rate) > rate * 0.01) bucket.reconfigure(rate, this.capacity(rate, slack), now);
    return bucket;
  }

  /** Set limits from config; a limit set here is never overridden by headers. */
  configure(model: string, limits: ModelLimits, now: number): void {
    const m = this.entry(model);
    if (limits.rpm) {
      m.requests = this.reconfigure(m.requests, limits.rpm, now, this.startSlack);
      m.configured.rpm = true;
      m.known.rpm = true;
    }
    if (limits.tpm) {
      m.tokens = this.reconfigure(m.tokens, limits.tpm, now, 0);
      m.configured.tpm = true;
      m.known.tpm = true;
    }
  }

  private entry(model: string): ModelBuckets {
    let m = this.models.get(model);
    if (!m) {
      m = { configured: { rpm: false, tpm: false }, known: { rpm: false, tpm: false }, blockedUntil: 0 };
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

  /**
   * Learn limits from `x-ratelimit-*` headers when config gave none. A bucket made from the first headers starts
   * empty: the calls sent before any limit was known have spent the provider's burst, the answers that bring the
   * headers arrive together with more rows waiting to go, and `remaining-*` told the state of one past moment. Costs at
   * most one burst, once per model and process.
   */
  observe(model: string, info: RateLimitInfo | undefined, now: number): void {
    if (!info) return;
    const m = this.entry(model);
    if (!m.configured.rpm && info.limitRequests && info.limitRequests > 0) {
      m.requests = m.requests ? this.reconfigure(m.requests, info.limitRequests, now, this.startSlack) : this.bucketFor(info.limitRequests, now, this.startSlack, 0);
      m.known.rpm = true;
    }
    if (!m.configured.tpm && info.limitTokens && info.limitTokens > 0) {
      m.tokens = m.tokens ? this.reconfigure(m.tokens, info.limitTokens, now, 0) : this.bucketFor(info.limitTokens, now, 0, 0);
      m.known.tpm = true;
    }
  }

  /**
   * The rates this limiter lets calls of `model` go at (per ms, headroom applied), where a limit is known: what the
   * in-flight window of an auto job is sized from.
   */
  rates(model: string): { readonly requestsPerMs?: number; readonly tokensPerMs?: number } {
    const m = this.models.get(model);
    if (!m) return {};
    return { ...(m.requests && m.known.rpm ? { requestsPerMs: m.requests.rate } : {}), ...(m.tokens && m.known.tpm ? { tokensPerMs: m.tokens.rate } : {}) };
  }

  /**
   * The line waiting on `model` was held up `lateMs` past its turn (a busy process, a loaded machine): what the
   * requests bucket refilled meanwhile is forfeited, up to all but one request of its burst. Calls sent just before the
   * hold-up were held too and go out now; added to a refilled burst they would reach the provider in one bunch.
   */
  forfeitRefill(model: string, lateMs: number, now: number): void {
    const m = this.models.get(model);
    if (!m?.requests || !m.known.rpm || !(lateMs > 0)) return;
    const rate = m.requests.rate;
    m.requests.adjust(-Math.min(lateMs * rate, this.capacity(rate, this.startSlack) - 1), now);
  }

  /** ms until a Retry-After the provider gave for `model` has passed (0: none holds). */
  blockedFor(model: string, now: number): number {
    return Math.max(0, (this.models.get(model)?.blockedUntil ?? 0) - now);
  }

  /** The provider answered 429: hold every call to this model until it said we may go again. */
  backOff(model: string, retryAfterMs: number, now: number): void {
    const m = this.entry(model);
    // No limit known yet: a placeholder bucket (one call a second) holds the block; the first headers replace its rate.
    if (!m.requests) m.requests = new TokenBucket(1 / 1000, 1, now);
    m.requests.blockUntil(now + retryAfterMs);
    m.blockedUntil = Math.max(m.blockedUntil, now + retryAfterMs);
  }
}
