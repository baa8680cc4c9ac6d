// What the Apps Script face needs from its surroundings, as plain synchronous calls on plain data (so they can cross threads).
import type { MetadataLocation } from '../developer-metadata.js';
import type { AlertRequest, ButtonName, MenuRecord, SidebarRecord, ToastRecord } from './ui-log.js';

/** A cell as the face reads and writes it; null is an empty cell. Formulas are kept as text, never evaluated. */
export type CellData = string | number | boolean | { readonly formula: string } | null;

export interface TabInfo {
  readonly sheetId: number;
  readonly title: string;
  /** 0-based position among the tabs. */
  readonly index: number;
  readonly rowCount: number;
  readonly columnCount: number;
}

export interface SpreadsheetInfo {
  readonly id: string;
  readonly title: string;
  readonly tabs: readonly TabInfo[];
}

export interface MetadataInfo {
  readonly id: number;
  readonly key: string;
  readonly value: string | null;
  readonly visibility: 'DOCUMENT' | 'PROJECT';
  readonly location: MetadataLocation;
}

/** The workbook as the face sees it. Rows and columns are 1-based, as in Apps Script. */
export interface SheetPort {
  spreadsheet(): SpreadsheetInfo;
  /** The last row and column holding a value (0 when the tab is empty). */
  extent(sheetId: number): { readonly lastRow: number; readonly lastColumn: number };
  read(sheetId: number, row: number, column: number, numRows: number, numColumns: number): CellData[][];
  write(sheetId: number, row: number, column: number, values: readonly (readonly CellData[])[]): void;
  /** Rows from `first` to `last` that the user hid. */
  hiddenRows(sheetId: number, first: number, last: number): number[];
  listMetadata(): MetadataInfo[];
  addMetadata(spec: Omit<MetadataInfo, 'id'>): MetadataInfo;
  removeMetadata(id: number): void;
}

export type PropertyScope = 'document' | 'script' | 'user';

export interface PropertyStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
  all(): Record<string, string>;
  replace(values: Readonly<Record<string, string>>, deleteOthers: boolean): void;
  clear(): void;
}

export interface UiHost {
  menu(menu: MenuRecord): void;
  /** Records the alert and answers which button the "user" pressed. */
  alert(alert: AlertRequest): ButtonName;
  sidebar(sidebar: SidebarRecord): void;
  toast(toast: ToastRecord): void;
}

export interface FetchRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly followRedirects: boolean;
  readonly timeoutMs: number;
}

export type FetchReply =
  | { readonly ok: true; readonly status: number; readonly headers: readonly (readonly [string, string])[]; readonly body: string }
  | { readonly ok: false; readonly message: string };

export interface ActiveSelection {
  readonly sheetId: number;
  /** A1 ranges as the user selected them, on the active tab unless they name one. */
  readonly ranges: readonly string[];
}

/** Everything the services call. Synchronous, because Apps Script is. */
export interface AppsScriptHost {
  readonly sheet: SheetPort;
  readonly properties: Readonly<Record<PropertyScope, PropertyStore>>;
  readonly ui: UiHost;
  fetch(request: FetchRequest): FetchReply;
  identityToken(): string | null;
  activeUser(): string;
  activeSelection(): ActiveSelection;
  /** An HTML file of the project by name (`Sidebar` → Sidebar.html); throws when there is none. */
  htmlFile(name: string): string;
  log(line: string): void;
}
