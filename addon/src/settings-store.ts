// Settings per tab, kept in document properties so everyone editing the spreadsheet sees the same setup.
import { settingsKey } from './property-names.js';
import { normalizeSettings, type Settings } from './settings-model.js';

export function loadSettings(sheetId: number): Settings | null {
  const raw = PropertiesService.getDocumentProperties().getProperty(settingsKey(sheetId));
  if (raw === null || raw === '') return null;
  try {
    return normalizeSettings(JSON.parse(raw));
  } catch {
    // A hand-edited or truncated value: treat it as unset rather than failing every menu item.
    return null;
  }
}

export function storeSettings(sheetId: number, settings: Settings): void {
  PropertiesService.getDocumentProperties().setProperty(settingsKey(sheetId), JSON.stringify(settings));
}
