// The price table and the arithmetic of cost: reported usage → USD, and the worst case a row may cost.
import type { Usage } from '../ports/domain.js';

/** USD per 1M tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly cachedInput: number;
  readonly output: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * OpenAI's list prices (standard tier, USD per 1M tokens) as published when this table was last updated.
 * Override or extend with the `prices` config when they change or for other models.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
};

/**
 * The price of `model`: an exact entry, else the longest entry the id starts with followed by a date or version
 * suffix (`gpt-4.1-mini-2025-04-14` → `gpt-4.1-mini`). Undefined when unknown.
 */
export function priceFor(model: string, table: PriceTable): ModelPrice | undefined {
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    if (model.startsWith(`${name}-`) && /^\d/.test(model.slice(name.length + 1)) && (!best || name.length > best.length)) best = name;
  }
  return best ? table[best] : undefined;
}

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
