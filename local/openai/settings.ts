// The stand-in's runtime settings: defaults, and the one validator used by the constructor, configure() and the admin route.
import { FAULT_KINDS, NO_FAULTS, type FaultKind, type FaultRates } from './faults.js';
import { isRecord } from './row-inputs.js';

export interface StandInSettings {
  /** Mean delay before a completion is answered, in ms. Default 0: answer in the same tick the body arrives. */
  readonly latencyMs: number;
  /** Latency is uniform in [latencyMs − jitterMs, latencyMs + jitterMs], floored at 0. Default 0. */
  readonly jitterMs: number;
  /** Requests per minute; null (the default) is unlimited. */
  readonly rpm: number | null;
  /** Tokens (prompt + completion) per minute; null (the default) is unlimited. */
  readonly tpm: number | null;
  /** Bucket capacity in seconds' worth of the limit (capacity = limit × burstSeconds / 60). Default 1. */
  readonly burstSeconds: number;
  /** Probability per request of each fault. Default: all 0. */
  readonly faults: FaultRates;
  /** How long a `hang` fault holds the connection before destroying it. Default 600,000 (10 minutes). */
  readonly hangMs: number;
  /** Completion tokens an `overUsage` fault reports, whatever the request's cap. Default 5,000. */
  readonly overUsageTokens: number;
  /** Size of the body a `hugeAnswer` fault sends, in bytes. Default 20,000,000 (20 MB). */
  readonly hugeAnswerBytes: number;
  /** Seed of the generator that draws faults and latencies. Default 1. */
  readonly seed: number;
  /** Model ids the server knows; others get 404 model_not_found. Default: the gpt-4.1, gpt-4o and gpt-5 families. */
  readonly models: readonly string[];
  /** An API key the server rejects with 401 invalid_api_key, as it does a missing one. Default 'sk-invalid'. */
  readonly rejectKey: string;
  /** Log entries kept; when full, the oldest tenth is dropped at once. Default 1,000,000. */
  readonly logLimit: number;
  /** Batch API: time from a batch's creation to its end (validating → in_progress → finalizing → completed), ms. Default 2,000. */
  readonly batchDelayMs: number;
  /** Batch API: probability per request of a 500 server_error line in the error file. Default 0. */
  readonly batchErrorRate: number;
  /** Batch API: when a number, every batch expires at the end of its delay with this fraction of its requests answered. Default null (never). */
  readonly batchExpireFraction: number | null;
  /** Batch API: most requests a batch input file may hold. Default 50,000, OpenAI's limit. */
  readonly batchMaxRequests: number;
  /** Batch API: largest batch input file, in bytes. Default 200,000,000 (OpenAI's 200 MB). */
  readonly batchMaxFileBytes: number;
  /**
   * Batch API: prompt tokens that may wait in accepted, unfinished batches per model (OpenAI's "enqueued tokens"
   * limit); a batch that would go past it fails validation with `token_limit_exceeded`. Default null (no limit).
   */
  readonly batchEnqueuedTokenLimit: number | null;
}

/** A partial update: omitted fields keep their value, `faults` merges per kind, `rpm`/`tpm` null removes the limit. */
export type StandInSettingsPatch = {
  readonly [K in keyof StandInSettings]?: K extends 'faults' ? Readonly<Partial<Record<FaultKind, number>>> : StandInSettings[K];
};

export const DEFAULT_MODELS: readonly string[] = ['gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4.1', 'gpt-4o-mini', 'gpt-4o', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5'];

export const DEFAULT_SETTINGS: StandInSettings = {
  latencyMs: 0,
  jitterMs: 0,
  rpm: null,
  tpm: null,
  burstSeconds: 1,
  faults: NO_FAULTS,
  hangMs: 600_000,
  overUsageTokens: 5000,
  hugeAnswerBytes: 20_000_000,
  seed: 1,
  models: DEFAULT_MODELS,
  rejectKey: 'sk-invalid',
  logLimit: 1_000_000,
  batchDelayMs: 2000,
  batchErrorRate: 0,
  batchExpireFraction: null,
  batchMaxRequests: 50_000,
  batchMaxFileBytes: 200_000_000,
  batchEnqueuedTokenLimit: null,
};

type Check = (value: unknown) => boolean;
const nonNegative: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const positive: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const FIELDS: Readonly<Record<Exclude<keyof StandInSettings, 'faults'>, readonly [Check, string]>> = {
  latencyMs: [nonNegative, 'a finite number >= 0'],
  jitterMs: [nonNegative, 'a finite number >= 0'],
  rpm: [(v) => v === null || positive(v), 'a positive number or null'],
  tpm: [(v) => v === null || positive(v), 'a positive number or null'],
  burstSeconds: [positive, 'a positive finite number'],
  hangMs: [nonNegative, 'a finite number >= 0'],
  overUsageTokens: [(v) => Number.isSafeInteger(v) && (v as number) >= 0, 'a non-negative integer'],
  hugeAnswerBytes: [(v) => Number.isSafeInteger(v) && (v as number) >= 0, 'a non-negative integer'],
  seed: [(v) => Number.isSafeInteger(v), 'an integer'],
  models: [(v) => Array.isArray(v) && v.length > 0 && v.every((m) => typeof m === 'string' && m !== ''), 'a non-empty array of non-empty strings'],
  rejectKey: [(v) => typeof v === 'string', 'a string'],
  logLimit: [(v) => Number.isSafeInteger(v) && (v as number) > 0, 'a positive integer'],
  batchDelayMs: [nonNegative, 'a finite number >= 0'],
  batchErrorRate: [(v) => nonNegative(v) && (v as number) <= 1, 'a number from 0 to 1'],
  batchExpireFraction: [(v) => v === null || (nonNegative(v) && (v as number) <= 1), 'a number from 0 to 1 or null'],
  batchMaxRequests: [(v) => Number.isSafeInteger(v) && (v as number) > 0, 'a positive integer'],
  batchMaxFileBytes: [(v) => Number.isSafeInteger(v) && (v as number) > 0, 'a positive integer'],
  batchEnqueuedTokenLimit: [(v) => v === null || (Number.isSafeInteger(v) && (v as number) > 0), 'a positive integer or null'],
};

/** `current` with `patch` applied; throws an Error naming the first bad field. `patch` may come straight from JSON. */
export function applySettings(current: StandInSettings, patch: unknown): StandInSettings {
  if (!isRecord(patch)) throw new Error('OpenAiStandIn: options must be an object');
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === 'faults') {
      next.faults = applyFaults(current.faults, value);
      continue;
    }
    const field = FIELDS[key as keyof typeof FIELDS] as (typeof FIELDS)[keyof typeof FIELDS] | undefined;
    if (!field) throw new Error(`OpenAiStandIn: unknown option "${key}"`);
    if (!field[0](value)) throw new Error(`OpenAiStandIn: ${key} must be ${field[1]}, got ${JSON.stringify(value)}`);
    next[key] = Array.isArray(value) ? [...(value as string[])] : value;
  }
  return next as unknown as StandInSettings;
}

function applyFaults(current: FaultRates, patch: unknown): FaultRates {
  if (!isRecord(patch)) throw new Error('OpenAiStandIn: faults must be an object of probabilities');
  const next: Record<string, number> = { ...current };
  for (const [kind, rate] of Object.entries(patch)) {
    if (rate === undefined) continue;
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`OpenAiStandIn: unknown fault "${kind}" (known: ${FAULT_KINDS.join(', ')})`);
    }
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw new Error(`OpenAiStandIn: faults.${kind} must be a number from 0 to 1, got ${JSON.stringify(rate)}`);
    }
    next[kind] = rate;
  }
  const sum = FAULT_KINDS.reduce((total, kind) => total + (next[kind] ?? 0), 0);
  // Faults are exclusive per request, so their probabilities share one unit interval.
  if (sum > 1 + 1e-9) throw new Error(`OpenAiStandIn: fault probabilities must sum to at most 1, got ${sum}`);
  return next as FaultRates;
}
