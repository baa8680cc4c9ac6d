// Cheap mode's settings: how long a batch may hold its rows, how often it is polled, how much may wait at the provider.
import type { BatchClient } from '../../ports/batch.js';
import type { BatchStore } from '../../ports/batch-store.js';

export interface CheapModeOptions {
  /**
   * The lease of a row in a batch. Longer than the provider's 24 h window plus its finalizing, so lease recovery never
   * takes back a row a batch still carries (it would be sent twice). Default 48 h.
   */
  readonly leaseMs?: number;
  /** First wait before polling a batch; each poll waits 1.5× longer, up to `pollMaxMs`. Default 30 s. */
  readonly pollMinMs?: number;
  /** Longest wait between polls of one batch. Default 10 min. */
  readonly pollMaxMs?: number;
  /** Rows per batch (one file each); at most the client's `maxRequestsPerFile`. Default: that limit (50,000 on OpenAI). */
  readonly maxRowsPerBatch?: number;
  /**
   * Prompt tokens one job may have waiting at the provider per model (OpenAI's "enqueued tokens" limit): a larger job
   * submits its next file as earlier batches end. Default 2,000,000 (OpenAI usage tier 1 for gpt-4.1-mini; raise it to
   * your tier's figure with `enqueuedTokensByModel`).
   */
  readonly enqueuedTokenLimit?: number;
  readonly enqueuedTokensByModel?: Readonly<Record<string, number>>;
  /**
   * Names this process when it holds a batch's step (engine/batch/cheap-mode.ts). Default: a random id, so processes
   * sharing a store exclude each other, and a dead one's holds lapse after 15 min. The embedded runtime, the only
   * process on its file, passes a fixed name: after a crash it takes its own holds back at once.
   */
  readonly stepHolder?: string;
}

export interface ResolvedCheapModeOptions {
  readonly leaseMs: number;
  readonly pollMinMs: number;
  readonly pollMaxMs: number;
  readonly maxRowsPerBatch: number;
  readonly stepHolder: string | undefined;
  enqueuedTokens(model: string): number;
}

/** What cheap mode needs besides the engine's ports: the Batch API client, where batches are recorded, its settings. */
export interface CheapModeDeps {
  readonly client: BatchClient;
  readonly store: BatchStore;
  readonly options?: CheapModeOptions;
}

export const DEFAULT_ENQUEUED_TOKENS = 2_000_000;

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new TypeError(`Expected \`batch.options.${name}\` to be a positive number, got \`${value}\``);
  return value;
}

export function resolveCheapModeOptions(options: CheapModeOptions, client: BatchClient): ResolvedCheapModeOptions {
  const maxRows = options.maxRowsPerBatch ?? client.limits.maxRequestsPerFile;
  if (!Number.isSafeInteger(maxRows) || maxRows < 1 || maxRows > client.limits.maxRequestsPerFile) {
    throw new TypeError(`Expected \`batch.options.maxRowsPerBatch\` to be an integer from 1 to ${client.limits.maxRequestsPerFile}, got \`${maxRows}\``);
  }
  const pollMinMs = positive('pollMinMs', options.pollMinMs ?? 30_000);
  const pollMaxMs = positive('pollMaxMs', options.pollMaxMs ?? 600_000);
  if (pollMaxMs < pollMinMs) throw new TypeError(`Expected \`batch.options.pollMaxMs\` (${pollMaxMs}) to be at least \`pollMinMs\` (${pollMinMs})`);
  const fallback = positive('enqueuedTokenLimit', options.enqueuedTokenLimit ?? DEFAULT_ENQUEUED_TOKENS);
  const byModel = options.enqueuedTokensByModel ?? {};
  for (const [model, limit] of Object.entries(byModel)) positive(`enqueuedTokensByModel.${model}`, limit);
  return {
    leaseMs: positive('leaseMs', options.leaseMs ?? 48 * 3600_000),
    pollMinMs,
    pollMaxMs,
    maxRowsPerBatch: maxRows,
    stepHolder: stepHolder(options.stepHolder),
    enqueuedTokens: (model) => byModel[model] ?? fallback,
  };
}

function stepHolder(name: string | undefined): string | undefined {
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) throw new TypeError(`Expected \`batch.options.stepHolder\` to be a non-empty string, got \`${String(name)}\``);
  return name;
}

/** The wait before the next poll of a batch polled `polls` times: 1.5× longer each time, capped. */
export function pollDelay(options: ResolvedCheapModeOptions, polls: number): number {
  return Math.min(options.pollMaxMs, Math.round(options.pollMinMs * 1.5 ** Math.min(polls, 40)));
}
