// The HTTP API contract: request bodies (zod) and response shapes. The add-on imports types from here, nothing else.
import { z } from 'zod';
import type { ErrorClass } from '../kernel/error-classes.js';
import { FIELD_LIMITS } from '../kernel/limits.js';
import type { JobStatus, PauseReason, RowCounts } from '../ports/domain.js';

const spreadsheetId = z.string().regex(/^[A-Za-z0-9_-]{10,200}$/, 'must be a spreadsheet id');
/** A spreadsheet id in a path, checked as in a body. */
export const spreadsheetIdParam = spreadsheetId;
const proofNonce = z.string().min(16, 'must be at least 16 characters').max(200);

export const selectionSchema = z.object({
  spreadsheetId,
  sheetId: z.number().int().min(0),
  ranges: z.array(z.string().min(1).max(100)).min(1, 'select at least one range').max(2000),
  headerRow: z.number().int().min(1).max(FIELD_LIMITS.maxHeaderRow).default(1),
  /** Validated in full once, by the application layer with this backend's caps (application/config-input.ts); here only its shape and size are bounded. */
  config: z.record(z.string(), z.unknown()),
});

export const startJobBody = selectionSchema
  .extend({
    proofNonce,
    /** Confirms replacing data in output columns Rowfill did not create (see EstimateView.overwrites). Default false. */
    overwrite: z.boolean().optional(),
  })
  .strict();
export const estimateBody = selectionSchema.strict();
export const jobActionBody = z.object({ proofNonce: proofNonce.optional() }).strict();
export const resumeBody = z
  .object({ budgetUsd: z.number().positive('must be greater than 0').optional(), proofNonce: proofNonce.optional() })
  .strict();

export type StartJobBody = z.input<typeof startJobBody>;
export type EstimateBody = z.input<typeof estimateBody>;
export type ResumeBody = z.input<typeof resumeBody>;

/** A job's rows by state, as the stores count them: the one counts shape. */
export type JobCountsView = RowCounts;

/**
 * OpenAI's batch states, verbatim (ports/batch.ts's BatchStatus; a copy, since that port needs Node's types and the
 * add-on type-checks this file without them).
 */
export type BatchStatusView = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

/** One provider batch of a cheap job that still holds rows. */
export interface BatchView {
  /** The provider's state (validating, in_progress, finalizing, …); null while Rowfill is still packing or sending it. */
  readonly status: BatchStatusView | null;
  /** Rows the batch carries. */
  readonly rows: number;
  /** When the provider's window ends (ISO), or the 24 h after the batch was recorded while the provider has not said. */
  readonly expiresAt: string;
}

export interface JobView {
  readonly id: string;
  /** `cheap`: rows go through the provider's Batch API (results within 24 h, at batch prices). */
  readonly mode: 'fast' | 'cheap';
  /** A cheap job's rows waiting in a provider batch (0 in fast mode). */
  readonly inBatch: number;
  /** A cheap job's open batches, oldest first (empty in fast mode and once every batch was applied). */
  readonly batches: readonly BatchView[];
  /**
   * A cheap job's ETA (ISO), so the sidebar says "by <time>" instead of a rate: the last open batch's window end, plus
   * a 24 h window for each further round of batches its queued rows need; null in fast mode, when the job is not
   * running, or when no row is queued or in a batch.
   */
  readonly resultsBy: string | null;
  readonly status: JobStatus;
  readonly pauseReason: PauseReason | null;
  readonly message: string | null;
  readonly simulated: boolean;
  readonly model: string;
  /** `auto`: as many rows in flight as the model's rate limits allow. */
  readonly workers: number | 'auto';
  readonly budgetUsd: number | null;
  readonly spentUsd: number;
  readonly reservedUsd: number;
  readonly counts: JobCountsView;
  readonly errorsByClass: Readonly<Partial<Record<ErrorClass, number>>>;
  /** Rows finished per minute: smoothed while running; frozen at the job's end (or pause) otherwise. */
  readonly rowsPerMinute: number;
  /** ms until done at the current rate; null when unknown or when the job is not running. */
  readonly etaMs: number | null;
  readonly spreadsheetId: string | null;
  readonly sheetId: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
}

/**
 * The engine's `Estimate` as the API serves it. A copy, not an import: the add-on type-checks this file without Node
 * types, and the engine module pulls them in. `SheetJobs.estimate` returning it proves the two still match.
 */
export interface EstimateView {
  readonly rows: number;
  readonly toRun: number;
  readonly skippedUnchanged: number;
  readonly invalid: number;
  readonly reused: number;
  readonly costLowUsd: number;
  readonly costHighUsd: number;
  readonly worstCaseUsd: number;
  /** The same range and worst case in cheap mode (Batch API prices), shown beside the fast price. */
  readonly cheapCostLowUsd: number;
  readonly cheapCostHighUsd: number;
  readonly cheapWorstCaseUsd: number;
  readonly priced: boolean;
  readonly simulated: boolean;
  readonly model: string;
  /**
   * Output columns whose header already exists in the sheet and that Rowfill did not create, each with its non-empty
   * cells in the selected rows (columns with none are left out). Non-empty: POST /v1/jobs answers 409
   * `output_overwrite` unless its body says `overwrite: true`.
   */
  readonly overwrites: ReadonlyArray<{ readonly column: string; readonly filledCells: number }>;
  /** Research mode's limits per row; 0 when the job does not research. */
  readonly maxSearchesPerRow: number;
  readonly maxPagesPerRow: number;
  /**
   * Research's share of the range, already inside costLowUsd–costHighUsd: searches billed by the search service
   * ($0.008 each; one a row to every allowed one), and at most what search results and pages add to prompts as model
   * input. 0 when the job does not research.
   */
  readonly searchCostLowUsd: number;
  readonly searchCostHighUsd: number;
  readonly readingCostHighUsd: number;
}

/** GET /v1/sheets/:spreadsheetId/access → `{ access }`. */
export interface AccessView {
  /** True when the backend's service account can open the spreadsheet. */
  readonly shared: boolean;
  /** The address to share the spreadsheet with, as an editor. */
  readonly serviceAccount: string;
  /** Why not, when not: the spreadsheet is not shared with the account, or no such spreadsheet. */
  readonly reason: 'not_shared' | 'not_found' | null;
}

export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}
