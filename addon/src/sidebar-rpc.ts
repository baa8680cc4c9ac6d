// The sidebar's server functions (google.script.run): state on open, settings, estimate, start, progress and job actions.
import { activeSheet, headerColumns } from './active-sheet.js';
import { checkSheetAccess } from './access-check.js';
import * as jobs from './jobs-api.js';
import { preflight } from './preflight.js';
import { failure, rpc, toRpcError } from './rpc-result.js';
import { backendUrl, configuredServiceAccount } from './script-config.js';
import { readSelection, selectionKey } from './selection.js';
import { DEFAULT_SETTINGS, LIMITS, normalizeSettings, validateSettings, type Settings } from './settings-model.js';
import { loadSettings, storeSettings } from './settings-store.js';
import type { JobView, RpcError, SelectionPoll, SidebarApi, SidebarState, StartRequest } from './sidebar-api.js';
import { selectionChanged, SETUP_NEEDED } from './messages.js';

export function getSidebarState(): SidebarState {
  const target = activeSheet();
  const saved = loadSettings(target.sheetId);
  const settings = saved ?? DEFAULT_SETTINGS;
  const configured = backendUrl() !== null;
  let latestJob: JobView | null = null;
  let latestJobError: RpcError | null = null;
  if (configured) {
    try {
      latestJob = jobs.latestJob(target.spreadsheetId, target.sheetId);
    } catch (error) {
      // The form must still open when the backend is down; the page shows why progress is missing.
      latestJobError = toRpcError(error);
      if (latestJobError === null) throw error;
    }
  }
  return {
    configured,
    setupMessage: configured ? null : SETUP_NEEDED,
    user: Session.getActiveUser().getEmail(),
    spreadsheetName: target.spreadsheet.getName(),
    sheetName: target.sheet.getName(),
    sheetId: target.sheetId,
    header: headerColumns(target.sheet, settings.headerRow),
    settings,
    saved: saved !== null,
    selection: readSelection(target.sheet, settings.headerRow),
    latestJob,
    latestJobError,
    serviceAccount: configuredServiceAccount(),
  };
}

export function saveSettings(raw: Settings): ReturnType<SidebarApi['saveSettings']> {
  const target = activeSheet();
  const settings = normalizeSettings(raw);
  const header = headerColumns(target.sheet, Number.isInteger(settings.headerRow) && settings.headerRow >= 1 ? settings.headerRow : 1).map((h) => h.name);
  const fields = validateSettings(settings, header);
  if (fields.length > 0) return failure({ code: 'invalid_settings', message: 'Some settings need fixing.', fields });
  storeSettings(target.sheetId, settings);
  return { ok: true, value: { settings } };
}

export function getSelection(knownKey?: string): SelectionPoll {
  const target = activeSheet();
  const headerRow = loadSettings(target.sheetId)?.headerRow ?? DEFAULT_SETTINGS.headerRow;
  const key = selectionKey(target.sheet, headerRow);
  return { key, selection: key === knownKey ? null : readSelection(target.sheet, headerRow) };
}

function sameRanges(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((range, i) => range === b[i]);
}

export function estimateSelection(): ReturnType<SidebarApi['estimateSelection']> {
  const checked = preflight();
  if (!checked.ok) return failure(checked.error);
  const { request, selection, settings } = checked.ready;
  return rpc(() => ({ selection, estimate: jobs.estimate(request), budgetUsd: settings.budgetUsd, mode: settings.mode }));
}

export function startEnrichment(expected?: StartRequest): ReturnType<SidebarApi['startEnrichment']> {
  const checked = preflight();
  if (!checked.ok) return failure(checked.error);
  const { request, selection } = checked.ready;
  // The user saw an estimate of some rows; rows selected since then were never shown to them, so they are not run.
  if (expected && !sameRanges(expected.ranges, request.ranges)) return failure({ code: 'selection_changed', message: selectionChanged(selection.message) });
  return rpc(() => ({ job: jobs.startJob(request, expected?.overwrite === true) }));
}

export function getProgress(jobId?: string): ReturnType<SidebarApi['getProgress']> {
  if (backendUrl() === null) return failure({ code: 'not_configured', message: SETUP_NEEDED });
  if (jobId !== undefined && jobId !== null && jobId !== '') return rpc(() => ({ job: jobs.jobStatus(jobId) }));
  const target = activeSheet();
  return rpc(() => ({ job: jobs.latestJob(target.spreadsheetId, target.sheetId) }));
}

export function resumeJob(jobId: string, budgetUsd?: number): ReturnType<SidebarApi['resumeJob']> {
  if (budgetUsd !== undefined && budgetUsd !== null && !(Number.isFinite(budgetUsd) && budgetUsd > 0 && budgetUsd <= LIMITS.maxBudgetUsd)) {
    return failure({ code: 'invalid_budget', message: `The budget must be more than $0 and at most $${LIMITS.maxBudgetUsd}.`, fields: [{ field: 'resumeBudget', message: 'Enter a budget above $0.' }] });
  }
  return rpc(() => {
    const job = jobs.resumeJob(jobId, budgetUsd ?? undefined);
    // The tab's Budget setting follows the budget the job now runs with, so the next job does not start at the old one.
    const saved = job.sheetId === null || job.budgetUsd === null ? null : loadSettings(job.sheetId);
    if (saved && job.sheetId !== null && job.budgetUsd !== null) storeSettings(job.sheetId, { ...saved, budgetUsd: job.budgetUsd });
    return { job };
  });
}

export function retryFailed(jobId: string): ReturnType<SidebarApi['retryFailed']> {
  return rpc(() => jobs.retryFailed(jobId));
}

export function cancelJob(jobId: string): ReturnType<SidebarApi['cancelJob']> {
  return rpc(() => ({ job: jobs.cancelJob(jobId) }));
}

export function checkAccess(): ReturnType<SidebarApi['checkAccess']> {
  if (backendUrl() === null) return failure({ code: 'not_configured', message: SETUP_NEEDED });
  return rpc(() => checkSheetAccess());
}

/** A compile-time check that these functions are the sidebar's contract. */
export const sidebarApi: SidebarApi = {
  getSidebarState,
  saveSettings,
  getSelection,
  estimateSelection,
  startEnrichment,
  getProgress,
  resumeJob,
  retryFailed,
  cancelJob,
  checkAccess,
};
