// The contract between the sidebar page and the add-on's server functions (google.script.run): shapes only, no Apps Script.
import type { EstimateView, JobView } from '../../backend/src/http/api-types.js';
import type { FieldError, Settings } from './settings-model.js';

export type { EstimateView, JobView };

export interface RpcError {
  readonly code: string;
  readonly message: string;
  /** Per-field problems when the settings were refused. */
  readonly fields?: readonly FieldError[];
}

/** Sidebar calls answer a result rather than throwing, so the page keeps the error's code (google.script.run keeps only a message). */
export type RpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: RpcError };

export type SelectionProblem = 'nothing_selected' | 'header_only' | 'empty_rows' | 'all_hidden' | 'too_fragmented';

export interface SelectionSummary {
  /** Whole-row ranges on the active tab, merged, header and hidden rows left out: what the job request carries. */
  readonly ranges: readonly string[];
  /** Rows those ranges cover. */
  readonly rows: number;
  /** Selected rows left out because they are hidden or filtered out. */
  readonly hiddenSkipped: number;
  readonly problem: SelectionProblem | null;
  /** One line for the user: what is selected, or what is wrong with it. */
  readonly message: string;
}

export interface HeaderColumn {
  readonly name: string;
  /** `A`, `B`, … where the name sits now. */
  readonly column: string;
}

export interface SidebarState {
  /** False until the script property ROWFILL_BACKEND_URL is set; `setupMessage` says how. */
  readonly configured: boolean;
  readonly setupMessage: string | null;
  readonly user: string;
  readonly spreadsheetName: string;
  readonly sheetName: string;
  readonly sheetId: number;
  readonly header: readonly HeaderColumn[];
  /** The saved settings of this tab, or defaults when none are saved (`saved` false). */
  readonly settings: Settings;
  readonly saved: boolean;
  readonly selection: SelectionSummary;
  readonly latestJob: JobView | null;
  /** Why the latest job could not be fetched (backend unreachable, …); null when it was. */
  readonly latestJobError: RpcError | null;
  readonly serviceAccount: string | null;
}

export interface AccessCheck {
  readonly shared: boolean;
  readonly serviceAccount: string | null;
  readonly message: string;
}

/** A poll of the selection: its key, and the selection itself unless the key is the one the sidebar already knows. */
export interface SelectionPoll {
  readonly key: string;
  readonly selection: SelectionSummary | null;
}

/** An output column whose header already holds the user's data in the selected rows (`EstimateView.overwrites`). */
export interface ColumnOverwrite {
  readonly column: string;
  readonly filledCells: number;
}

/** The estimate's overwrites; none from a backend that does not report them. */
export function overwritesOf(estimate: EstimateView): readonly ColumnOverwrite[] {
  return (estimate as { readonly overwrites?: readonly ColumnOverwrite[] }).overwrites ?? [];
}

/** What the sidebar starts: the rows it estimated (refused when the selection moved since), and the user's overwrite consent. */
export interface StartRequest {
  readonly ranges: readonly string[];
  readonly overwrite: boolean;
}

export interface EstimateResult {
  readonly selection: SelectionSummary;
  readonly estimate: EstimateView;
  readonly budgetUsd: number;
  /** The Speed the tab's settings chose: the budget note weighs that price. */
  readonly mode: 'fast' | 'cheap';
}

export interface SidebarApi {
  getSidebarState(): SidebarState;
  saveSettings(settings: Settings): RpcResult<{ readonly settings: Settings }>;
  estimateSelection(): RpcResult<EstimateResult>;
  /** The active tab's selection, which the sidebar polls so an estimate never outlives the rows it counted. */
  getSelection(knownKey?: string): SelectionPoll;
  /** Without `expected`, starts the current selection (older pages); with it, only if the selection is still those ranges. */
  startEnrichment(expected?: StartRequest): RpcResult<{ readonly job: JobView }>;
  /** A job's progress; without an id, the latest job of the active tab (null when it has none). */
  getProgress(jobId?: string): RpcResult<{ readonly job: JobView | null }>;
  resumeJob(jobId: string, budgetUsd?: number): RpcResult<{ readonly job: JobView }>;
  retryFailed(jobId: string): RpcResult<{ readonly job: JobView; readonly requeued: number }>;
  cancelJob(jobId: string): RpcResult<{ readonly job: JobView }>;
  checkAccess(): RpcResult<AccessCheck>;
}

export function isActive(job: Pick<JobView, 'status'> | null | undefined): boolean {
  return job?.status === 'running' || job?.status === 'preparing';
}
