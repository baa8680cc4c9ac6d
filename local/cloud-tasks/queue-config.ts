// A queue's rate limits and retry settings: the real service's defaults and bounds, CreateQueue/UpdateQueue input, proto output.
import { msToProto, protoToMs, type ProtoSeconds } from './proto-time.js';
import { RpcError } from './rpc-error.js';

export interface QueueConfig {
  readonly maxDispatchesPerSecond: number;
  readonly maxConcurrentDispatches: number;
  /** -1 is unlimited. */
  readonly maxAttempts: number;
  /** 0 is unlimited. */
  readonly maxRetryDurationMs: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxDoublings: number;
}

/** What Cloud Tasks picks for a queue created without settings (as `gcloud tasks queues describe` shows them). */
export const QUEUE_DEFAULTS: QueueConfig = {
  maxDispatchesPerSecond: 500,
  maxConcurrentDispatches: 1000,
  maxAttempts: 100,
  maxRetryDurationMs: 0,
  minBackoffMs: 100,
  maxBackoffMs: 3_600_000,
  maxDoublings: 16,
};

export const MAX_DISPATCHES_PER_SECOND = 500;
export const MAX_CONCURRENT_DISPATCHES = 5000;

/** The bucket holds a fifth of a second's dispatches (the real service shows 100 for its default 500/s), at least 1. */
export function maxBurstSize(maxDispatchesPerSecond: number): number {
  return Math.max(1, Math.ceil(maxDispatchesPerSecond / 5));
}

export interface ProtoRateLimits {
  readonly maxDispatchesPerSecond?: number | null;
  readonly maxBurstSize?: number | null;
  readonly maxConcurrentDispatches?: number | null;
}

export interface ProtoRetryConfig {
  readonly maxAttempts?: number | null;
  readonly maxRetryDuration?: ProtoSeconds | null;
  readonly minBackoff?: ProtoSeconds | null;
  readonly maxBackoff?: ProtoSeconds | null;
  readonly maxDoublings?: number | null;
}

export interface ProtoQueueSettings {
  readonly rateLimits?: ProtoRateLimits | null;
  readonly retryConfig?: ProtoRetryConfig | null;
}

type Field = keyof QueueConfig;

/** UpdateQueue mask paths (snake_case, as the real API documents them; camelCase is accepted too) → config fields. */
const MASK_FIELDS: Readonly<Record<string, readonly Field[]>> = {
  rate_limits: ['maxDispatchesPerSecond', 'maxConcurrentDispatches'],
  'rate_limits.max_dispatches_per_second': ['maxDispatchesPerSecond'],
  'rate_limits.max_concurrent_dispatches': ['maxConcurrentDispatches'],
  retry_config: ['maxAttempts', 'maxRetryDurationMs', 'minBackoffMs', 'maxBackoffMs', 'maxDoublings'],
  'retry_config.max_attempts': ['maxAttempts'],
  'retry_config.max_retry_duration': ['maxRetryDurationMs'],
  'retry_config.min_backoff': ['minBackoffMs'],
  'retry_config.max_backoff': ['maxBackoffMs'],
  'retry_config.max_doublings': ['maxDoublings'],
};
/** Fields of the Queue message the stand-in accepts in a mask but does not model. */
const IGNORED_MASK_PATHS = new Set(['state', 'stackdriver_logging_config', 'app_engine_routing_override', 'stackdriver_logging_config.sampling_ratio']);

function snake(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The values a request names. Proto3 cannot tell 0 from unset, so 0 means "not given", as it does for the real service. */
function given(settings: ProtoQueueSettings): Partial<Record<Field, number>> {
  const r = settings.rateLimits ?? {};
  const c = settings.retryConfig ?? {};
  const out: Partial<Record<Field, number>> = {};
  const put = (field: Field, value: number | null | undefined): void => {
    if (typeof value === 'number' && value !== 0) out[field] = value;
  };
  put('maxDispatchesPerSecond', r.maxDispatchesPerSecond);
  put('maxConcurrentDispatches', r.maxConcurrentDispatches);
  put('maxAttempts', c.maxAttempts);
  put('maxRetryDurationMs', protoToMs(c.maxRetryDuration));
  put('minBackoffMs', protoToMs(c.minBackoff));
  put('maxBackoffMs', protoToMs(c.maxBackoff));
  put('maxDoublings', c.maxDoublings);
  return out;
}

/** The config a CreateQueue (or an UpdateQueue without a mask) asks for: named fields over `base`. */
export function configFrom(settings: ProtoQueueSettings, base: QueueConfig = QUEUE_DEFAULTS): QueueConfig {
  return checkConfig({ ...base, ...given(settings) });
}

/** An UpdateQueue with a mask: only masked fields change; a masked field left unset goes back to its default. */
export function configUpdate(current: QueueConfig, settings: ProtoQueueSettings, paths: readonly string[]): QueueConfig {
  const values = given(settings);
  const next: Record<Field, number> = { ...current };
  for (const raw of paths) {
    const path = snake(raw);
    if (IGNORED_MASK_PATHS.has(path)) continue;
    const fields = MASK_FIELDS[path];
    if (!fields) throw RpcError.invalid(`update_mask path ${JSON.stringify(raw)} is not a Queue field the stand-in knows`);
    for (const field of fields) next[field] = values[field] ?? QUEUE_DEFAULTS[field];
  }
  return checkConfig(next);
}

function checkConfig(config: QueueConfig): QueueConfig {
  const c = config;
  if (!(c.maxDispatchesPerSecond > 0 && c.maxDispatchesPerSecond <= MAX_DISPATCHES_PER_SECOND)) {
    throw RpcError.invalid(`rate_limits.max_dispatches_per_second must be above 0 and at most ${MAX_DISPATCHES_PER_SECOND}, got ${c.maxDispatchesPerSecond}`);
  }
  if (!(Number.isInteger(c.maxConcurrentDispatches) && c.maxConcurrentDispatches >= 1 && c.maxConcurrentDispatches <= MAX_CONCURRENT_DISPATCHES)) {
    throw RpcError.invalid(`rate_limits.max_concurrent_dispatches must be an integer from 1 to ${MAX_CONCURRENT_DISPATCHES}, got ${c.maxConcurrentDispatches}`);
  }
  if (!(Number.isInteger(c.maxAttempts) && c.maxAttempts >= -1)) throw RpcError.invalid(`retry_config.max_attempts must be >= -1, got ${c.maxAttempts}`);
  if (!(c.maxRetryDurationMs >= 0)) throw RpcError.invalid(`retry_config.max_retry_duration must not be negative, got ${c.maxRetryDurationMs} ms`);
  if (!(c.minBackoffMs >= 0)) throw RpcError.invalid(`retry_config.min_backoff must not be negative, got ${c.minBackoffMs} ms`);
  if (!(c.maxBackoffMs >= c.minBackoffMs)) {
    throw RpcError.invalid(`retry_config.max_backoff (${c.maxBackoffMs} ms) must be at least retry_config.min_backoff (${c.minBackoffMs} ms)`);
  }
  if (!(Number.isInteger(c.maxDoublings) && c.maxDoublings >= 0)) throw RpcError.invalid(`retry_config.max_doublings must be an integer >= 0, got ${c.maxDoublings}`);
  return config;
}

export function configToProto(config: QueueConfig): { rateLimits: Record<string, number>; retryConfig: Record<string, unknown> } {
  return {
    rateLimits: {
      maxDispatchesPerSecond: config.maxDispatchesPerSecond,
      maxBurstSize: maxBurstSize(config.maxDispatchesPerSecond),
      maxConcurrentDispatches: config.maxConcurrentDispatches,
    },
    retryConfig: {
      maxAttempts: config.maxAttempts,
      maxRetryDuration: msToProto(config.maxRetryDurationMs),
      minBackoff: msToProto(config.minBackoffMs),
      maxBackoff: msToProto(config.maxBackoffMs),
      maxDoublings: config.maxDoublings,
    },
  };
}
