// Cheap mode's money: answers at half price, and a worst case that still covers a repair at the full price.
import { describe, expect, it } from 'vitest';
import { batchCost, batchWorstCase } from '../../../../backend/src/engine/batch/batch-cost.js';
import { costOf, REPAIR_PROMPT_TOKENS, worstCaseRowCost } from '../../../../backend/src/engine/pricing.js';

const price = { input: 0.4, cachedInput: 0.1, output: 1.6 };

describe('batch cost', () => {
  it('bills reported usage at half of every rate', () => {
    const usage = { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500 };
    expect(batchCost(usage, price)).toBeCloseTo(costOf(usage, price) / 2, 12);
    expect(batchCost(usage, undefined)).toBe(0);
  });

  it('reserves the batch request at half price plus the fast repair at full price', () => {
    const first = costOf({ inputTokens: 100, cachedInputTokens: 0, outputTokens: 300 }, price) / 2;
    const repair = costOf({ inputTokens: 100 + 300 + REPAIR_PROMPT_TOKENS, cachedInputTokens: 0, outputTokens: 300 }, price);
    expect(batchWorstCase(100, 300, price)).toBeCloseTo(first + repair, 12);
    // Less than fast mode's worst case, more than half of it.
    expect(batchWorstCase(100, 300, price)).toBeLessThan(worstCaseRowCost(100, 300, price));
    expect(batchWorstCase(100, 300, price)).toBeGreaterThan(worstCaseRowCost(100, 300, price) / 2);
    expect(batchWorstCase(100, 300, undefined)).toBe(0);
  });
});
