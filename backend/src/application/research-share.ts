// Research mode's share of an estimate: searches billed per search and what results and pages add to prompts, per row run.
import { DEFAULT_SEARCH_PRICE, researchRowCostRange } from '../engine/research/research-cost.js';
import { DEFAULT_PRICES, priceFor, type PriceTable } from '../kernel/models.js';
import type { JobConfig } from '../ports/domain.js';

/** What the sidebar's estimate and `rowfill estimate` both add to the engine's range; each front end words it its own way. */
export interface ResearchShare {
  readonly maxSearchesPerRow: number;
  readonly maxPagesPerRow: number;
  /** Added to the engine's low and high ends (rows to run × the per-row share). */
  readonly lowUsd: number;
  readonly highUsd: number;
  /** Searches the search service bills: one a row to every allowed one, at `searchUsd` each. */
  readonly searchUsd: number;
  readonly searchesLow: number;
  readonly searchesHigh: number;
  readonly searchCostLowUsd: number;
  readonly searchCostHighUsd: number;
  /** At most what search results and pages add to prompts: the high end's share beyond the billed searches. */
  readonly readingCostHighUsd: number;
}

/** Undefined for a job that does not research. `prices` are the engine's overrides of the price table. */
export function researchShare(config: JobConfig, rowsToRun: number, prices: PriceTable | undefined): ResearchShare | undefined {
  const research = config.research?.enabled ? config.research : undefined;
  if (!research) return undefined;
  const price = config.price ?? priceFor(config.model, { ...DEFAULT_PRICES, ...prices });
  const row = researchRowCostRange(research, price);
  const n = rowsToRun;
  const { searchUsd } = DEFAULT_SEARCH_PRICE;
  const searchesHigh = n * research.maxSearches;
  const highUsd = n * (row.searchHighUsd + row.pageHighUsd);
  return {
    maxSearchesPerRow: research.maxSearches,
    maxPagesPerRow: research.maxPages,
    lowUsd: n * row.searchLowUsd,
    highUsd,
    searchUsd,
    searchesLow: n,
    searchesHigh,
    searchCostLowUsd: n * searchUsd,
    searchCostHighUsd: searchesHigh * searchUsd,
    readingCostHighUsd: highUsd - searchesHigh * searchUsd,
  };
}
