// The models the sidebar offers: those the engine has a list price for (backend/src/engine/pricing.ts DEFAULT_PRICES).
// A copy, since the add-on may not import backend runtime code; test/unit/addon/models.test.ts keeps the two equal.

export const KNOWN_MODELS = ['gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4.1', 'gpt-4o-mini', 'gpt-4o', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5'] as const;

/** A model's own price, USD per 1M tokens, for a model the backend has no price for. */
export interface PriceInput {
  readonly input: number;
  readonly output: number;
}

/** The highest price per 1M tokens the sidebar takes, as the engine's MAX_PRICE_PER_MTOK: above it is surely a slipped digit. */
export const MAX_PRICE_PER_MILLION = 1000;

/** True for a listed model or a dated version of one (`gpt-4.1-mini-2025-04-14`), as the engine's priceFor reads it. */
export function isKnownModel(model: string): boolean {
  return KNOWN_MODELS.some((name) => model === name || (model.startsWith(`${name}-`) && /^\d/.test(model.slice(name.length + 1))));
}
