// Research mode's share of `rowfill estimate`: searches at their price per search, and what results and pages add to prompts.
import { researchShare } from '../application/research-share.js';
import type { ModelPrice } from '../kernel/models.js';
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

/** Undefined for a job that does not research. The same share as the sidebar's estimate (application/research-share.ts). */
export function researchEstimate(config: JobConfig, estimate: Estimate, prices: Readonly<Record<string, ModelPrice>> | undefined): ResearchEstimate | undefined {
  const share = researchShare(config, estimate.toRun, prices);
  if (!share) return undefined;
  const { searchesLow, searchesHigh, searchUsd: perSearch } = share;
  return {
    lowUsd: share.lowUsd,
    highUsd: share.highUsd,
    line:
      `Research: ${searchesLow === searchesHigh ? searchesLow : `${searchesLow} – ${searchesHigh}`} searches (1 – ${share.maxSearchesPerRow} a row at ${usd(perSearch)} each: ` +
      `${usd(share.searchCostLowUsd)} – ${usd(share.searchCostHighUsd)}) and up to ${share.maxPagesPerRow} pages a row, inside the range above; ` +
      `the worst case reserves every search and every model turn of the tool loop.`,
    json: {
      maxSearchesPerRow: share.maxSearchesPerRow,
      maxPagesPerRow: share.maxPagesPerRow,
      searchUsd: perSearch,
      searchesLow,
      searchesHigh,
      searchCostLowUsd: share.searchCostLowUsd,
      searchCostHighUsd: share.searchCostHighUsd,
    },
  };
}
