// SpreadsheetApp: the active (bound) spreadsheet, its UI, flush, and the enums the add-on passes around.
import { DeveloperMetadataLocationType, DeveloperMetadataVisibility } from './developer-metadata.js';
import type { AppsScriptHost } from './host.js';
import { SpreadsheetFace } from './spreadsheet.js';
import { UiFace } from './ui.js';

export function spreadsheetApp(host: AppsScriptHost) {
  const spreadsheet = new SpreadsheetFace(host);
  const ui = new UiFace(host);
  return {
    DeveloperMetadataVisibility,
    DeveloperMetadataLocationType,
    getActive: () => spreadsheet,
    getActiveSpreadsheet: () => spreadsheet,
    getActiveSheet: () => spreadsheet.getActiveSheet(),
    getActiveRange: () => spreadsheet.getActiveRange(),
    getActiveRangeList: () => spreadsheet.getActiveRangeList(),
    getUi: () => ui,
    /** Every write here lands in the model at once, so there is nothing to flush. */
    flush: (): void => undefined,
    openById: (): never => {
      // spreadsheets.currentonly: an add-on may open only the document it runs in.
      throw new Error('You do not have permission to call SpreadsheetApp.openById. Required permissions: https://www.googleapis.com/auth/spreadsheets');
    },
  };
}
