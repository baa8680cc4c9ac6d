// The engine's options: readonly, with documented defaults, validated once at construction with exact messages.
import type { BackoffPolicy } from '../kernel/backoff.js';
import { DEFAULT_LIMITS, MAX_ROWS_PER_JOB, type ConfigLimits } from '../kernel/limits.js';
import { DEFAULT_PRICES, type ModelPrice, type PriceTable } from '../kernel/models.js';
import { DEFAULT_RESEARCH_CACHE_TTL_MS } from './research/tool-cache.js';

export interface EngineOptions {
  /** How often a running job is pumped: flush, window top-up, lease recovery, completion. Default 1000 ms. */
  readonly pumpIntervalMs?: number;
  /** Longest a row task waits in-process for the rate limiter before handing the wait back to the queue. Default 5000 ms. */
  readonly inlineRateWaitMs?: number;
  /** Lease = two attempt timeouts (call + repair) plus this margin. Default 30 s. */
  readonly leaseMarginMs?: number;
  /** A dispatched row whose task has not run this long after it was due is given a new task. Default 10 min. */
  readonly staleDispatchMs?: number;
  /** Retry backoff for retryable row errors. Default { baseMs: 1000, capMs: 60_000 }. */
  readonly backoff?: BackoffPolicy;
  /** How long an identical request's result is reused. Default 30 days. */
  readonly cacheTtlMs?: number;
  /** How long research mode's searches (by normalized query) and opened pages (by URL) are reused, across rows and jobs; 0 keeps none. Default 24 h. */
  readonly researchCacheTtlMs?: number;
  /** Prices per model (USD per 1M tokens), merged over the built-in table. */
  readonly prices?: Readonly<Record<string, ModelPrice>>;
  /** Server-side caps on job configs. Default: DEFAULT_LIMITS. */
  readonly limits?: Partial<ConfigLimits>;
  /** Rows one job may hold. Default MAX_ROWS_PER_JOB (1,000,000); a server sets its own ROWFILL_MAX_ROWS_PER_JOB. */
  readonly maxRowsPerJob?: number;
  /** Longest input cell accepted; longer rows fail alone with input_invalid. Default 50,000 characters. */
  readonly maxCellChars?: number;
  /** Refuse jobs without a budget. Default false. */
  readonly requireBudget?: boolean;
  /** Make one validation call to the model before a job starts. Default true. */
  readonly validateModel?: boolean;
  /** The failure breaker pauses a job when more than half of this many last finished rows failed. Default 20. */
  readonly failureWindow?: number;
}

export interface ResolvedEngineOptions {
  readonly pumpIntervalMs: number;
  readonly inlineRateWaitMs: number;
  readonly leaseMarginMs: number;
  readonly staleDispatchMs: number;
  readonly backoff: BackoffPolicy;
  readonly cacheTtlMs: number;
  readonly researchCacheTtlMs: number;
  readonly prices: PriceTable;
  readonly limits: ConfigLimits;
  readonly maxRowsPerJob: number;
  readonly maxCellChars: number;
  readonly requireBudget: boolean;
  readonly validateModel: boolean;
  readonly failureWindow: number;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new TypeError(`Expected \`${name}\` to be a positive number, got \`${value}\``);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new TypeError(`Expected \`${name}\` to be a number >= 0, got \`${value}\``);
  return value;
}

export function resolveEngineOptions(options: EngineOptions = {}): ResolvedEngineOptions {
  const backoff = options.backoff ?? { baseMs: 1000, capMs: 60_000 };
  const failureWindow = options.failureWindow ?? 20;
  if (!Number.isInteger(failureWindow) || failureWindow < 2) throw new TypeError(`Expected \`failureWindow\` to be an integer >= 2, got \`${failureWindow}\``);
  return {
    pumpIntervalMs: positive('pumpIntervalMs', options.pumpIntervalMs ?? 1000),
    inlineRateWaitMs: nonNegative('inlineRateWaitMs', options.inlineRateWaitMs ?? 5000),
    leaseMarginMs: nonNegative('leaseMarginMs', options.leaseMarginMs ?? 30_000),
    staleDispatchMs: positive('staleDispatchMs', options.staleDispatchMs ?? 10 * 60_000),
    backoff: { baseMs: positive('backoff.baseMs', backoff.baseMs), capMs: positive('backoff.capMs', backoff.capMs) },
    cacheTtlMs: nonNegative('cacheTtlMs', options.cacheTtlMs ?? 30 * 24 * 3600_000),
    researchCacheTtlMs: nonNegative('researchCacheTtlMs', options.researchCacheTtlMs ?? DEFAULT_RESEARCH_CACHE_TTL_MS),
    prices: { ...DEFAULT_PRICES, ...options.prices },
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    maxRowsPerJob: positive('maxRowsPerJob', options.maxRowsPerJob ?? MAX_ROWS_PER_JOB),
    maxCellChars: positive('maxCellChars', options.maxCellChars ?? 50_000),
    requireBudget: options.requireBudget ?? false,
    validateModel: options.validateModel ?? true,
    failureWindow,
  };
}
