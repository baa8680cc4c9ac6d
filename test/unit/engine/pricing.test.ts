import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, priceFor } from '../../../backend/src/kernel/models.js';
import { costOf, worstCaseRowCost } from '../../../backend/src/engine/pricing.js';

describe('pricing', () => {
  it('prices a dated model snapshot like its family', () => {
    expect(priceFor('gpt-4.1-mini-2025-04-14', DEFAULT_PRICES)).toEqual(DEFAULT_PRICES['gpt-4.1-mini']);
  });

  it('does not confuse a different model that shares a prefix', () => {
    expect(priceFor('gpt-4.1-mini-turbo', DEFAULT_PRICES)).toBeUndefined();
    expect(priceFor('my-finetune', DEFAULT_PRICES)).toBeUndefined();
  });

  it('charges cached input at the cached price', () => {
    const price = { input: 1, cachedInput: 0.1, output: 4 };
    expect(costOf({ inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 250_000 }, price)).toBeCloseTo(0.5 + 0.05 + 1);
  });

  it('reserves enough for a full-length answer and one repair', () => {
    const price = { input: 1, cachedInput: 1, output: 1 };
    const worst = worstCaseRowCost(100, 1000, price);
    expect(worst).toBeGreaterThan(costOf({ inputTokens: 100 + 100 + 1000, cachedInputTokens: 0, outputTokens: 2000 }, price));
  });
});
