// The sidebar's estimate: the engine's range, with research mode's searches and reading added for every row that runs.
import { describe, expect, it } from 'vitest';
import { withResearchShare } from '../../../backend/src/application/sheet-estimate.js';
import type { Estimate } from '../../../backend/src/engine/engine.js';
import { DEFAULT_SEARCH_PRICE } from '../../../backend/src/engine/research/research-cost.js';
import { jobConfig } from '../../helpers/embedded-harness.js';

const ESTIMATE: Estimate = { model: 'gpt-4.1-mini', rows: 12, toRun: 10, skippedUnchanged: 2, invalid: 0, reused: 0, costLowUsd: 0.01, costHighUsd: 0.02, worstCaseUsd: 0.05, cheapCostLowUsd: 0.005, cheapCostHighUsd: 0.01, cheapWorstCaseUsd: 0.035, priced: true, simulated: true };

describe('withResearchShare', () => {
  it('leaves a plain job as the engine estimated it, with no research share', () => {
    expect(withResearchShare(jobConfig(), ESTIMATE, undefined)).toEqual({ ...ESTIMATE, maxSearchesPerRow: 0, maxPagesPerRow: 0, searchCostLowUsd: 0, searchCostHighUsd: 0, readingCostHighUsd: 0 });
  });

  it('adds one to every allowed search per row that runs, and what reading adds, inside the range', () => {
    const config = jobConfig({ research: { enabled: true, maxSearches: 3, maxPages: 2 } });
    const e = withResearchShare(config, ESTIMATE, undefined);
    expect(e).toMatchObject({ maxSearchesPerRow: 3, maxPagesPerRow: 2, rows: 12, toRun: 10 });
    expect(e.searchCostLowUsd).toBeCloseTo(10 * DEFAULT_SEARCH_PRICE.searchUsd, 12);
    expect(e.searchCostHighUsd).toBeCloseTo(30 * DEFAULT_SEARCH_PRICE.searchUsd, 12);
    expect(e.readingCostHighUsd).toBeGreaterThan(0);
    expect(e.costLowUsd).toBeGreaterThanOrEqual(ESTIMATE.costLowUsd + e.searchCostLowUsd - 1e-12);
    expect(e.costHighUsd).toBeCloseTo(ESTIMATE.costHighUsd + e.searchCostHighUsd + e.readingCostHighUsd, 12);
  });
});
