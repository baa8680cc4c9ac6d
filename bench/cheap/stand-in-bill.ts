// What the OpenAI stand-in would bill for a run, from its own request log: batch answers at batch prices, the rest at standard prices.
import { batchPrice, costOf } from '../../backend/src/engine/pricing.js';
import { DEFAULT_PRICES, priceFor } from '../../backend/src/kernel/models.js';
import type { RequestLogEntry } from '../../local/openai/request-log.js';

export interface StandInBill {
  readonly usd: number;
  /** Billed answers given inside a Batch API batch. */
  readonly batchRequests: number;
  /** Billed answers to chat completion calls (fast mode, and any repair cheap mode runs fast). */
  readonly fastRequests: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** The bill for the billed entries of `log`, priced as the provider prices them: the stand-in reports no cached tokens. */
export function standInBill(log: readonly RequestLogEntry[], model: string): StandInBill {
  const price = priceFor(model, DEFAULT_PRICES);
  if (!price) throw new Error(`no price for model ${model}`);
  const atBatch = batchPrice(price);
  let usd = 0;
  let batchRequests = 0;
  let fastRequests = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  for (const entry of log) {
    if (!entry.billed) continue;
    const usage = { inputTokens: entry.promptTokens, cachedInputTokens: 0, outputTokens: entry.completionTokens };
    promptTokens += entry.promptTokens;
    completionTokens += entry.completionTokens;
    if (entry.batchId !== undefined) {
      batchRequests += 1;
      usd += costOf(usage, atBatch);
    } else {
      fastRequests += 1;
      usd += costOf(usage, price);
    }
  }
  return { usd, batchRequests, fastRequests, promptTokens, completionTokens };
}
