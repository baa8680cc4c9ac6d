// Opens the sidebar: the one bundled page (dist/addon/Sidebar.html).

export const SIDEBAR_FILE = 'Sidebar';

export function showSidebar(): void {
  // Sidebars are always 300 px wide in Sheets; the page is laid out for that width.
  const page = HtmlService.createHtmlOutputFromFile(SIDEBAR_FILE).setTitle('Rowfill');
  SpreadsheetApp.getUi().showSidebar(page);
}
