// The sharing helper's check: can the backend's service account open this spreadsheet?
import { activeSheet, headerColumns } from './active-sheet.js';
import { BackendError } from './backend-error.js';
import { estimate } from './jobs-api.js';
import * as say from './messages.js';
import { configuredServiceAccount } from './script-config.js';
import { serviceAccountFromMessage } from './service-account.js';
import type { AccessCheck } from './sidebar-api.js';

/**
 * The API has no access endpoint, so this asks for an estimate of one row: the backend opens the spreadsheet before
 * anything else, and answers `not_shared`/`not_found` (naming its account) only when it cannot. Any other answer,
 * including a complaint about the probe's columns, means the spreadsheet opened.
 */
export function checkSheetAccess(): AccessCheck {
  const target = activeSheet();
  const first = headerColumns(target.sheet, 1)[0]?.name ?? 'A';
  let serviceAccount = configuredServiceAccount();
  try {
    estimate({
      spreadsheetId: target.spreadsheetId,
      sheetId: target.sheetId,
      ranges: ['2:2'],
      headerRow: 1,
      config: { inputs: [first], outputs: [{ name: 'rowfill_access_check', instruction: 'access check' }], budgetUsd: null },
    });
  } catch (error) {
    if (!(error instanceof BackendError) || error.status === 0 || error.status === 401) throw error;
    if (error.code === 'not_shared' || error.code === 'not_found') {
      serviceAccount = serviceAccount ?? serviceAccountFromMessage(error.message);
      return { shared: false, serviceAccount, message: say.notShared(serviceAccount) };
    }
  }
  return { shared: true, serviceAccount, message: say.shared(serviceAccount) };
}
