// The models Rowfill lists and their prices: the engine's price table and the sidebar's model menu are this one list.

/** USD per 1M tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly cachedInput: number;
  readonly output: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** The models with a list price, in the order the sidebar offers them (the default first). */
export const LISTED_MODELS = ['gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4.1', 'gpt-4o-mini', 'gpt-4o', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5'] as const;

export type ListedModel = (typeof LISTED_MODELS)[number];

/**
 * OpenAI's list prices (standard tier, USD per 1M tokens) as published when this table was last updated: one entry
 * per listed model, no more (checked by `satisfies`). Override or extend with the `prices` config when they change.
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
} satisfies Record<ListedModel, ModelPrice>;

/** The model a job uses when its config names none. */
export const DEFAULT_MODEL: ListedModel = 'gpt-4.1-mini';

/** Highest per-job price accepted, USD per 1M tokens: far above any listed model, low enough to catch a slipped digit. */
export const MAX_PRICE_PER_MTOK = 1000;

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

/** True for a listed model or a dated version of one (`gpt-4.1-mini-2025-04-14`): a model with a built-in price. */
export function isListedModel(model: string): boolean {
  return priceFor(model, DEFAULT_PRICES) !== undefined;
}
