// The menu items: each ends in a toast saying what happened, or an alert when something must be fixed or decided.
import { activeSheet } from './active-sheet.js';
import { cancelJob, estimate, latestJob, retryFailed, startJob } from './jobs-api.js';
import * as say from './messages.js';
import { preflight } from './preflight.js';
import { toRpcError } from './rpc-result.js';
import { backendUrl } from './script-config.js';
import { isActive, overwritesOf } from './sidebar-api.js';
import { showSidebar } from './sidebar-window.js';

function alert(message: string): void {
  const ui = SpreadsheetApp.getUi();
  ui.alert(say.TITLE, message, ui.ButtonSet.OK);
}

/** A routine notice: a toast in the sheet's corner, which asks nothing of the user (alerts are modal). */
function notify(message: string): void {
  SpreadsheetApp.getActive().toast(message, say.TITLE, 5);
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
    if (ui.alert(say.TITLE, say.confirmStart(quote, settings.budgetUsd, settings.mode), ui.ButtonSet.OK_CANCEL) !== ui.Button.OK) return;
    // The confirmation named the columns it would overwrite: OK is the consent the backend asks for.
    const job = startJob(request, overwritesOf(quote).length > 0);
    notify(say.started(job));
    showSidebar();
  });
}

export function rerunFailedRows(): void {
  if (backendUrl() === null) return alert(say.SETUP_NEEDED);
  const target = activeSheet();
  alertOnBackendError(() => {
    const latest = latestJob(target.spreadsheetId, target.sheetId);
    if (latest === null) return notify(say.NO_JOB);
    if (latest.status === 'cancelled') return alert(say.CANCELLED_NO_RERUN);
    if (latest.counts.failed === 0) return notify(say.noFailedRows(latest));
    const { requeued } = retryFailed(latest.id);
    notify(say.requeued(requeued));
    if (requeued > 0) showSidebar();
  });
}

export function cancelRunningJob(): void {
  if (backendUrl() === null) return alert(say.SETUP_NEEDED);
  const target = activeSheet();
  alertOnBackendError(() => {
    const latest = latestJob(target.spreadsheetId, target.sheetId);
    // A paused job still holds queued rows; cancelling it is what "stop this job" means too.
    if (latest === null || !(isActive(latest) || latest.status === 'paused')) return notify(say.NOT_RUNNING);
    notify(say.cancelled(cancelJob(latest.id)));
  });
}

export function openSidebar(): void {
  showSidebar();
}
