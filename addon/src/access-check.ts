// The sharing helper's check: can the backend's service account open this spreadsheet?
import { activeSheet } from './active-sheet.js';
import { sheetAccess } from './jobs-api.js';
import * as say from './messages.js';
import { configuredServiceAccount } from './script-config.js';
import type { AccessCheck } from './sidebar-api.js';

/** Asks the backend; the script property, when set, names the account (an administrator may front it with a group). */
export function checkSheetAccess(): AccessCheck {
  const access = sheetAccess(activeSheet().spreadsheetId);
  const serviceAccount = configuredServiceAccount() ?? access.serviceAccount;
  return { shared: access.shared, serviceAccount, message: access.shared ? say.shared(serviceAccount) : say.notShared(serviceAccount) };
}
