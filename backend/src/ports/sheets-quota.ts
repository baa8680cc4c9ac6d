// The Sheets quota port (SheetsQuota): every Sheets request of every job and instance draws from one per-minute budget.
// Google counts read and write requests per user per minute, and every job uses the one service account (one user).

import type { SheetsQuotaAnswer, SheetsQuotaRequest } from '../kernel/sheets-quota-window.js';

export type { SheetsCost, SheetsPriority, SheetsQuotaAnswer, SheetsQuotaRequest, SheetsRequestKind } from '../kernel/sheets-quota-window.js';

export interface SheetsQuota {
  /** The deployment's budget, requests per minute per kind. */
  readonly readsPerMinute: number;
  readonly writesPerMinute: number;
  /** Takes every token of `cost` at once, or none. Never waits: a caller that cannot use a refusal waits itself. */
  tryAcquire(request: SheetsQuotaRequest): Promise<SheetsQuotaAnswer>;
}
