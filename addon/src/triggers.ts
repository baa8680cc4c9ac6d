// Simple triggers: the Extensions → Rowfill menu on open and right after install.

export const MENU_ITEMS = [
  ['Enrich selected rows', 'enrichSelectedRows'],
  ['Re-run failed rows', 'rerunFailedRows'],
  ['Cancel running job', 'cancelRunningJob'],
  ['Open sidebar', 'openSidebar'],
] as const;

/**
 * Runs in every auth mode, including NONE before the add-on is authorized for this document, so it touches nothing but
 * the menu (no properties, no network).
 */
export function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  const menu = SpreadsheetApp.getUi().createAddonMenu();
  MENU_ITEMS.forEach(([caption, handler], i) => {
    if (i === MENU_ITEMS.length - 1) menu.addSeparator();
    menu.addItem(caption, handler);
  });
  menu.addToUi();
}

export function onInstall(_e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen();
}
