// The arithmetic of cost: reported usage → USD, and the worst case a row may cost (the price table is kernel/models).
import type { ModelPrice } from '../kernel/models.js';
import type { Usage } from '../ports/domain.js';

export function costOf(usage: Usage, price: ModelPrice): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  return ((usage.inputTokens - cached) * price.input + cached * price.cachedInput + usage.outputTokens * price.output) / 1_000_000;
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
}

/**
 * The most one row can cost: the first call at full output, plus one repair call whose prompt also carries the
 * first answer. Reserving this before the call is what keeps spent + reserved ≤ budget at every instant.
 */
export function worstCaseRowCost(promptTokens: number, maxOutputTokens: number, price: ModelPrice): number {
  const first = costOf({ inputTokens: promptTokens, cachedInputTokens: 0, outputTokens: maxOutputTokens }, price);
  const repair = costOf({ inputTokens: promptTokens + maxOutputTokens + REPAIR_PROMPT_TOKENS, cachedInputTokens: 0, outputTokens: maxOutputTokens }, price);
  return first + repair;
}

/** Upper bound of the tokens the repair instruction adds to a prompt. */
export const REPAIR_PROMPT_TOKENS = 400;

/** The Batch API's discount: OpenAI bills batch requests at half the standard price, input and output alike. */
export const BATCH_PRICE_FACTOR = 0.5;

/** The price of a request answered through the Batch API (cheap mode): every rate at half the standard one. */
export function batchPrice(price: ModelPrice): ModelPrice {
  return { input: price.input * BATCH_PRICE_FACTOR, cachedInput: price.cachedInput * BATCH_PRICE_FACTOR, output: price.output * BATCH_PRICE_FACTOR };
}
