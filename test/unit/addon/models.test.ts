// The sidebar's model list is the engine's price table: a model offered there always has a price the budget can use.
import { describe, expect, it } from 'vitest';
import { isKnownModel, KNOWN_MODELS, MAX_PRICE_PER_MILLION } from '../../../addon/src/models.js';
import { MAX_PRICE_PER_MTOK } from '../../../backend/src/engine/job-config.js';
import { DEFAULT_PRICES, priceFor } from '../../../backend/src/engine/pricing.js';

describe('known models', () => {
  it('are exactly the models the engine has a list price for, and a typed price has the engine\'s cap', () => {
    expect([...KNOWN_MODELS].sort()).toEqual(Object.keys(DEFAULT_PRICES).sort());
    expect(MAX_PRICE_PER_MILLION).toBe(MAX_PRICE_PER_MTOK);
  });

  it('count a dated version of a listed model as known, as the engine prices it, and nothing else', () => {
    for (const model of ['gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14', 'gpt-5', 'gpt-9', 'gpt-5-turbo', 'GPT-5']) {
      expect(isKnownModel(model), model).toBe(priceFor(model, DEFAULT_PRICES) !== undefined);
    }
  });
});
