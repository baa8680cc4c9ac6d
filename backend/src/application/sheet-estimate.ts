// What the sidebar shows before a start: the engine's estimate with research mode's searches and reading added.
import type { Estimate } from '../engine/engine.js';
import type { PriceTable } from '../kernel/models.js';
import type { JobConfig } from '../ports/domain.js';
import type { ColumnOverwrite } from '../ports/spreadsheet.js';
import { researchShare } from './research-share.js';

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
  const share = researchShare(config, estimate.toRun, prices);
  if (!share) return { ...estimate, maxSearchesPerRow: 0, maxPagesPerRow: 0, searchCostLowUsd: 0, searchCostHighUsd: 0, readingCostHighUsd: 0 };
  return {
    ...estimate,
    maxSearchesPerRow: share.maxSearchesPerRow,
    maxPagesPerRow: share.maxPagesPerRow,
    // Billed searches alone (as `rowfill estimate` reports them); what their results and the pages add to prompts apart.
    searchCostLowUsd: share.searchCostLowUsd,
    searchCostHighUsd: share.searchCostHighUsd,
    readingCostHighUsd: share.readingCostHighUsd,
    costLowUsd: estimate.costLowUsd + share.lowUsd,
    costHighUsd: estimate.costHighUsd + share.highUsd,
  };
}
