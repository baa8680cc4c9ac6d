// The Sheets quota port (SheetsQuota): every Sheets request of every job and instance draws from one per-minute budget.
// Google counts read and write requests per user per minute, and every job uses the one service account (one user).

export type SheetsRequestKind = 'read' | 'write';

/** Requests one step will send: e.g. a flush is one read of the id column and one write. */
export interface SheetsCost {
  readonly reads: number;
  readonly writes: number;
}

/**
 * `interactive`: a person waits for it (job start, estimate, proof); it may use the whole budget. `background`: a
 * flush or a status rewrite; it leaves a reserve for interactive requests and yields to spreadsheets waiting longer.
 */
export type SheetsPriority = 'interactive' | 'background';

export interface SheetsQuotaRequest {
  readonly spreadsheetId: string;
  readonly cost: SheetsCost;
  readonly priority: SheetsPriority;
}

export type SheetsQuotaAnswer =
  | { readonly granted: true }
  /** Nothing was taken; `retryAfterMs` is when asking again may succeed; `reason` says whether the budget or fairness refused. */
  | { readonly granted: false; readonly retryAfterMs: number; readonly reason: 'quota' | 'fairness' };

export interface SheetsQuota {
  /** The deployment's budget, requests per minute per kind. */
  readonly readsPerMinute: number;
  readonly writesPerMinute: number;
  /** Takes every token of `cost` at once, or none. Never waits: a caller that cannot use a refusal waits itself. */
  tryAcquire(request: SheetsQuotaRequest): Promise<SheetsQuotaAnswer>;
}
