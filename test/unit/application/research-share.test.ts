// Research mode's share of an estimate, the one both the sidebar's and `rowfill estimate`'s numbers come from.
import { describe, expect, it } from 'vitest';
import { researchShare } from '../../../backend/src/application/research-share.js';
import { DEFAULT_SEARCH_PRICE } from '../../../backend/src/engine/research/research-cost.js';
import { jobConfig } from '../../helpers/embedded-harness.js';

describe('researchShare', () => {
  it('is nothing for a job that does not research', () => {
    expect(researchShare(jobConfig(), 10, undefined)).toBeUndefined();
  });

  it('bills one to every allowed search per row that runs, and keeps reading apart from the billed searches', () => {
    const share = researchShare(jobConfig({ research: { enabled: true, maxSearches: 4, maxPages: 1 } }), 25, undefined)!;
    expect(share).toMatchObject({ maxSearchesPerRow: 4, maxPagesPerRow: 1, searchesLow: 25, searchesHigh: 100, searchUsd: DEFAULT_SEARCH_PRICE.searchUsd });
    expect(share.searchCostHighUsd).toBeCloseTo(100 * DEFAULT_SEARCH_PRICE.searchUsd, 12);
    expect(share.highUsd).toBeCloseTo(share.searchCostHighUsd + share.readingCostHighUsd, 12);
    expect(share.lowUsd).toBeGreaterThanOrEqual(share.searchCostLowUsd);
    expect(share.highUsd).toBeGreaterThan(share.lowUsd);
  });

  it("prices the prompts a model's price override sets", () => {
    const config = jobConfig({ research: { enabled: true }, model: 'my-model', budgetUsd: null });
    const cheap = researchShare(config, 10, { 'my-model': { input: 0.1, cachedInput: 0.1, output: 0.1 } })!;
    const dear = researchShare(config, 10, { 'my-model': { input: 10, cachedInput: 10, output: 10 } })!;
    expect(dear.readingCostHighUsd).toBeGreaterThan(cheap.readingCostHighUsd);
    expect(dear.searchCostHighUsd).toBe(cheap.searchCostHighUsd);
  });
});
