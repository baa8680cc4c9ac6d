// The rate-bound scenario's fixed conditions: the provider's limits and latency, and the job's workers.
import type { OpenAiStandInOptions } from '../../local/openai/server.js';

export const RPM = 600;
export const TPM = 200_000;
export const LATENCY_MS = 800;
export const JITTER_MS = 400;
export const WORKERS = 50;

/** Every contender gets a fresh stand-in with exactly these settings, so no limit carries over between them. */
export const STAND_IN: OpenAiStandInOptions = { rpm: RPM, tpm: TPM, burstSeconds: 1, latencyMs: LATENCY_MS, jitterMs: JITTER_MS, seed: 7 };

/** max(rows ÷ rpm, rows × tokens ÷ tpm, rows × latency ÷ workers), in ms. */
export function physicalBoundMs(rows: number, tokensPerRow: number): number {
  return Math.max((rows / RPM) * 60_000, ((rows * tokensPerRow) / TPM) * 60_000, (rows * LATENCY_MS) / WORKERS);
}
