// Research mode's share of `rowfill estimate`: searches at their price per search, and what results and pages add to prompts.
import { DEFAULT_PRICES, priceFor, type ModelPrice } from '../kernel/models.js';
import { DEFAULT_SEARCH_PRICE, researchRowCostRange } from '../engine/research/research-cost.js';
import type { Estimate } from '../engine/engine.js';
import type { JobConfig } from '../ports/domain.js';
import { usd } from './progress-view.js';

export interface ResearchEstimate {
  /** Added to the engine's range (rows to run × the per-row share). */
  readonly lowUsd: number;
  readonly highUsd: number;
  /** The line the estimate prints. */
  readonly line: string;
  readonly json: {
    readonly maxSearchesPerRow: number;
    readonly maxPagesPerRow: number;
    readonly searchUsd: number;
    readonly searchesLow: number;
    readonly searchesHigh: number;
    readonly searchCostLowUsd: number;
    readonly searchCostHighUsd: number;
  };
}

/** Undefined for a job that does not research. The same per-row share as the sidebar's estimate (researchRowCostRange). */
export function researchEstimate(config: JobConfig, estimate: Estimate, prices: Readonly<Record<string, ModelPrice>> | undefined): ResearchEstimate | undefined {
  const research = config.research?.enabled ? config.research : undefined;
  if (!research) return undefined;
  const price = config.price ?? priceFor(config.model, { ...DEFAULT_PRICES, ...prices });
  const row = researchRowCostRange(research, price);
  const n = estimate.toRun;
  const perSearch = DEFAULT_SEARCH_PRICE.searchUsd;
  const searchesLow = n;
  const searchesHigh = n * research.maxSearches;
  return {
    lowUsd: n * row.searchLowUsd,
    highUsd: n * (row.searchHighUsd + row.pageHighUsd),
    line:
      `Research: ${searchesLow === searchesHigh ? searchesLow : `${searchesLow} – ${searchesHigh}`} searches (1 – ${research.maxSearches} a row at ${usd(perSearch)} each: ` +
      `${usd(searchesLow * perSearch)} – ${usd(searchesHigh * perSearch)}) and up to ${research.maxPages} pages a row, inside the range above; ` +
      `the worst case reserves every search and every model turn of the tool loop.`,
    json: {
      maxSearchesPerRow: research.maxSearches,
      maxPagesPerRow: research.maxPages,
      searchUsd: perSearch,
      searchesLow,
      searchesHigh,
      searchCostLowUsd: searchesLow * perSearch,
      searchCostHighUsd: searchesHigh * perSearch,
    },
  };
}
