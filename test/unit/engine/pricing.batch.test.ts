// Cheap mode's price: a Batch API request costs half of the same request at the standard price.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../../backend/src/kernel/models.js';
import { batchPrice, costOf, worstCaseRowCost } from '../../../backend/src/engine/pricing.js';

describe('batchPrice', () => {
  it('halves every rate of every listed model', () => {
    for (const price of Object.values(DEFAULT_PRICES)) {
      expect(batchPrice(price)).toEqual({ input: price.input / 2, cachedInput: price.cachedInput / 2, output: price.output / 2 });
    }
  });

  it('makes a row cost half as much, and its worst case too', () => {
    const price = DEFAULT_PRICES['gpt-4.1-mini']!;
    const usage = { inputTokens: 1200, cachedInputTokens: 200, outputTokens: 300 };
    expect(costOf(usage, batchPrice(price))).toBeCloseTo(costOf(usage, price) / 2, 15);
    expect(worstCaseRowCost(800, 500, batchPrice(price))).toBeCloseTo(worstCaseRowCost(800, 500, price) / 2, 15);
  });
});
