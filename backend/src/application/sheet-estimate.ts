// What the sidebar shows before a start: the engine's estimate with research mode's searches and reading added.
import type { Estimate } from '../engine/engine.js';
import { DEFAULT_PRICES, priceFor, type PriceTable } from '../kernel/models.js';
import { DEFAULT_SEARCH_PRICE, researchRowCostRange } from '../engine/research/research-cost.js';
import type { JobConfig } from '../ports/domain.js';
import type { ColumnOverwrite } from '../ports/spreadsheet.js';

/** An estimate of a sheet job: the engine's, plus the user's columns the outputs would overwrite. */
export interface SheetEstimate extends Estimate {
  /** Output columns that exist in the sheet, were not created by Rowfill, and hold data in the selected rows. */
  readonly overwrites: readonly ColumnOverwrite[];
  /**
   * Research mode's share, already inside costLowUsd–costHighUsd: searches billed by the search service (one a row to
   * every allowed one), and at most what search results and pages add to prompts. 0 when the job does not research.
   */
  readonly maxSearchesPerRow: number;
  readonly maxPagesPerRow: number;
  readonly searchCostLowUsd: number;
  readonly searchCostHighUsd: number;
  readonly readingCostHighUsd: number;
}

/** The range with research's searches and reading added for every row that will run; `prices` are the engine's overrides. */
export function withResearchShare(config: JobConfig, estimate: Estimate, prices: PriceTable | undefined): Omit<SheetEstimate, 'overwrites'> {
  const research = config.research?.enabled ? config.research : undefined;
  if (!research) return { ...estimate, maxSearchesPerRow: 0, maxPagesPerRow: 0, searchCostLowUsd: 0, searchCostHighUsd: 0, readingCostHighUsd: 0 };
  const price = config.price ?? priceFor(config.model, { ...DEFAULT_PRICES, ...prices });
  const row = researchRowCostRange(research, price);
  const n = estimate.toRun;
  const { searchUsd } = DEFAULT_SEARCH_PRICE;
  // Billed searches alone (as `rowfill estimate` reports them); what their results and the pages add to prompts apart.
  const searchCostLowUsd = n * searchUsd;
  const searchCostHighUsd = n * research.maxSearches * searchUsd;
  const readingCostHighUsd = n * (row.searchHighUsd + row.pageHighUsd) - searchCostHighUsd;
  return {
    ...estimate,
    maxSearchesPerRow: research.maxSearches,
    maxPagesPerRow: research.maxPages,
    searchCostLowUsd,
    searchCostHighUsd,
    readingCostHighUsd,
    costLowUsd: estimate.costLowUsd + n * row.searchLowUsd,
    costHighUsd: estimate.costHighUsd + n * (row.searchHighUsd + row.pageHighUsd),
  };
}
