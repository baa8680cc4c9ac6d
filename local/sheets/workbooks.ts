// The stand-in's spreadsheets by id: creating them from a compact spec, and their whole state as plain JSON.
import { randomBytes } from 'node:crypto';
import type { CellValue } from './cell-value.js';
import { Workbook, type Role, type WorkbookState } from './workbook.js';

export type CellInput = CellValue | null | undefined;

export interface TabSpec {
  readonly title: string;
  /** The tab's gid; default 0 for the first tab, then counting up. */
  readonly sheetId?: number;
  /** Cells from A1, row by row, stored verbatim; null/undefined/'' leave a cell blank. */
  readonly rows?: readonly (readonly CellInput[])[];
  /** Grid size; default 1000 × 26, grown to fit `rows`. */
  readonly rowCount?: number;
  readonly columnCount?: number;
}

export interface SpreadsheetSpec {
  /** Default: a random id shaped like Google's. */
  readonly id?: string;
  readonly title: string;
  /** Tabs by title or spec, in order. Default: one tab, `Sheet1`. */
  readonly tabs?: readonly (string | TabSpec)[];
  /** Cells of the first tab (merged over its spec's rows), for the common one-tab case. */
  readonly rows?: readonly (readonly CellInput[])[];
  /** Users (bearer tokens) given edit access. Default: nobody, so every request answers 403 until `share`. */
  readonly sharedWith?: readonly string[];
}

export interface WorkbooksState {
  readonly version: 1;
  readonly spreadsheets: readonly WorkbookState[];
}

function newSpreadsheetId(): string {
  return `1${randomBytes(33).toString('base64url')}`;
}

export class Workbooks {
  private readonly byId = new Map<string, Workbook>();

  create(spec: SpreadsheetSpec): Workbook {
    if (typeof spec.title !== 'string') throw new TypeError('createSpreadsheet: title must be a string');
    const id = spec.id ?? newSpreadsheetId();
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new TypeError(`createSpreadsheet: id must be letters, digits, '-' or '_', got ${JSON.stringify(id)}`);
    if (this.byId.has(id)) throw new TypeError(`createSpreadsheet: a spreadsheet with id ${id} already exists`);
    const workbook = new Workbook(id, spec.title);
    const tabs = (spec.tabs ?? ['Sheet1']).map((t) => (typeof t === 'string' ? { title: t } : t));
    if (tabs.length === 0) throw new TypeError('createSpreadsheet: tabs must name at least one tab');
    tabs.forEach((t, i) => {
      const rows = i === 0 && spec.rows ? spec.rows : (t.rows ?? []);
      const width = Math.max(0, ...rows.map((r) => r.length));
      const tab = workbook.addTab(t.title, {
        ...(t.sheetId !== undefined ? { sheetId: t.sheetId } : {}),
        rowCount: Math.max(t.rowCount ?? 1000, rows.length),
        columnCount: Math.max(t.columnCount ?? 26, width),
      });
      rows.forEach((row, r) =>
        row.forEach((value, c) => {
          if (value !== null && value !== undefined && value !== '') tab.set(r, c, value);
        }),
      );
    });
    for (const user of spec.sharedWith ?? []) workbook.access.set(user, 'writer');
    this.byId.set(id, workbook);
    return workbook;
  }

  get(id: string): Workbook | undefined {
    return this.byId.get(id);
  }

  list(): Workbook[] {
    return [...this.byId.values()];
  }

  share(id: string, user: string, role: Role): void {
    const workbook = this.byId.get(id);
    if (!workbook) throw new TypeError(`share: no spreadsheet with id ${id}`);
    if (typeof user !== 'string' || user === '') throw new TypeError('share: user must be a non-empty string');
    workbook.access.set(user, role);
  }

  toState(): WorkbooksState {
    return { version: 1, spreadsheets: this.list().map((w) => w.toState()) };
  }

  replace(state: WorkbooksState): void {
    const list: unknown = state.spreadsheets;
    if (state.version !== 1 || !Array.isArray(list)) throw new TypeError('load: not a sheets stand-in state file (version 1)');
    this.byId.clear();
    for (const s of state.spreadsheets) this.byId.set(s.id, Workbook.fromState(s));
  }
}
