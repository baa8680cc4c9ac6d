// Everything checked before a request leaves Apps Script: backend configured, a usable selection, valid saved settings.
import { activeSheet, headerColumns, type ActiveSheet } from './active-sheet.js';
import type { SelectionRequest } from './jobs-api.js';
import { invalidSettings, NO_SETTINGS, SETUP_NEEDED } from './messages.js';
import { backendUrl } from './script-config.js';
import { readSelection } from './selection.js';
import { DEFAULT_SETTINGS, toJobConfig, validateSettings, type FieldError, type Settings } from './settings-model.js';
import { loadSettings } from './settings-store.js';
import type { RpcError, SelectionSummary } from './sidebar-api.js';

export interface Ready {
  readonly target: ActiveSheet;
  readonly settings: Settings;
  readonly selection: SelectionSummary;
  readonly request: SelectionRequest;
}

export interface PreflightError extends RpcError {
  /** True when the fix is in the sidebar (settings missing or invalid), so the menu opens it. */
  readonly openSidebar: boolean;
}

export type Preflight = { readonly ok: true; readonly ready: Ready } | { readonly ok: false; readonly error: PreflightError };

function fail(code: string, message: string, openSidebar = false, fields?: readonly FieldError[]): Preflight {
  return { ok: false, error: { code, message, openSidebar, ...(fields ? { fields } : {}) } };
}

/** The checks run in the order a user fixes things: setup, then what is selected, then what to fill in. */
export function preflight(): Preflight {
  if (backendUrl() === null) return fail('not_configured', SETUP_NEEDED);
  const target = activeSheet();
  const saved = loadSettings(target.sheetId);
  const headerRow = saved?.headerRow ?? DEFAULT_SETTINGS.headerRow;
  const selection = readSelection(target.sheet, headerRow);
  if (selection.problem !== null) return fail(selection.problem, selection.message);
  if (saved === null) return fail('no_settings', NO_SETTINGS, true);
  const header = headerColumns(target.sheet, saved.headerRow).map((h) => h.name);
  const fields = validateSettings(saved, header);
  if (fields.length > 0) return fail('invalid_settings', invalidSettings(fields.map((f) => f.message)), true, fields);
  return {
    ok: true,
    ready: {
      target,
      settings: saved,
      selection,
      request: { spreadsheetId: target.spreadsheetId, sheetId: target.sheetId, ranges: [...selection.ranges], headerRow: saved.headerRow, config: toJobConfig(saved) },
    },
  };
}
