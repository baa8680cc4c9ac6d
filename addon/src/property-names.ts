// Names of the script and document properties the add-on reads and writes.

/** Script property: the backend's base URL. */
export const BACKEND_URL_PROPERTY = 'ROWFILL_BACKEND_URL';
/** Script property: the service account the backend reads sheets as, shown in the sharing helper. */
export const SERVICE_ACCOUNT_PROPERTY = 'ROWFILL_SERVICE_ACCOUNT';

/** Document property holding one tab's settings; keyed by the tab's id, which survives renames and moves. */
export function settingsKey(sheetId: number): string {
  return `rowfill.settings.${sheetId}`;
}
