// Cheap mode's money: answers billed at batch prices, and a row's worst case (its batch request plus one fast repair).
import type { ModelPrice } from '../../kernel/models.js';
import type { Usage } from '../../ports/domain.js';
import { batchPrice, costOf, REPAIR_PROMPT_TOKENS } from '../pricing.js';

/** What a batch answer costs: its reported usage at batch prices (no price known: 0, allowed only without a budget). */
export function batchCost(usage: Usage, price: ModelPrice | undefined): number {
  return price ? costOf(usage, batchPrice(price)) : 0;
}

/**
 * The most a cheap row can cost: the batch request at full output, at batch prices, plus the one repair, which runs
 * fast (engine/batch/batch-apply.ts says why) and so at the full price. Reserved before the row joins a batch.
 */
export function batchWorstCase(promptTokens: number, outputTokensPerCall: number, price: ModelPrice | undefined): number {
  if (!price) return 0;
  const first = costOf({ inputTokens: promptTokens, cachedInputTokens: 0, outputTokens: outputTokensPerCall }, batchPrice(price));
  const repair = costOf({ inputTokens: promptTokens + outputTokensPerCall + REPAIR_PROMPT_TOKENS, cachedInputTokens: 0, outputTokens: outputTokensPerCall }, price);
  return first + repair;
}
