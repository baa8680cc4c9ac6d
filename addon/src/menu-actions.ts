// The menu items: each ends in an alert that says what happened or what to fix, never a silent no-op.
import { activeSheet } from './active-sheet.js';
import { cancelJob, estimate, latestJob, retryFailed, startJob } from './jobs-api.js';
import * as say from './messages.js';
import { preflight } from './preflight.js';
import { toRpcError } from './rpc-result.js';
import { backendUrl } from './script-config.js';
import { isActive } from './sidebar-api.js';
import { showSidebar } from './sidebar-window.js';

function alert(message: string): void {
  const ui = SpreadsheetApp.getUi();
  ui.alert(say.TITLE, message, ui.ButtonSet.OK);
}

/** Backend errors carry a message written for people; anything else is a bug, and Apps Script shows it with its trace. */
function alertOnBackendError(run: () => void): void {
  try {
    run();
  } catch (error) {
    const known = toRpcError(error);
    if (known === null) throw error;
    alert(known.message);
  }
}

export function enrichSelectedRows(): void {
  const checked = preflight();
  if (!checked.ok) {
    alert(checked.error.message);
    if (checked.error.openSidebar) showSidebar();
    return;
  }
  const { target, settings, request } = checked.ready;
  alertOnBackendError(() => {
    // The backend would refuse with 409 anyway; asking first spares a proof write and says how far the other job is.
    const latest = latestJob(target.spreadsheetId, target.sheetId);
    if (isActive(latest)) {
      alert(say.alreadyRunning(latest));
      return;
    }
    const quote = estimate(request);
    const ui = SpreadsheetApp.getUi();
    if (ui.alert(say.TITLE, say.confirmStart(quote, settings.budgetUsd), ui.ButtonSet.OK_CANCEL) !== ui.Button.OK) return;
    const job = startJob(request);
    target.spreadsheet.toast(say.started(job), say.TITLE, 5);
    showSidebar();
  });
}

export function rerunFailedRows(): void {
  if (backendUrl() === null) return alert(say.SETUP_NEEDED);
  const target = activeSheet();
  alertOnBackendError(() => {
    const latest = latestJob(target.spreadsheetId, target.sheetId);
    if (latest === null) return alert(say.NO_JOB);
    if (latest.status === 'cancelled') return alert(say.CANCELLED_NO_RERUN);
    if (latest.counts.failed === 0) return alert(say.noFailedRows(latest));
    const { requeued } = retryFailed(latest.id);
    alert(say.requeued(requeued));
    if (requeued > 0) showSidebar();
  });
}

export function cancelRunningJob(): void {
  if (backendUrl() === null) return alert(say.SETUP_NEEDED);
  const target = activeSheet();
  alertOnBackendError(() => {
    const latest = latestJob(target.spreadsheetId, target.sheetId);
    // A paused job still holds queued rows; cancelling it is what "stop this job" means too.
    if (latest === null || !(isActive(latest) || latest.status === 'paused')) return alert(say.NOT_RUNNING);
    alert(say.cancelled(cancelJob(latest.id)));
  });
}

export function openSidebar(): void {
  showSidebar();
}
