// Spreadsheet: the bound document — its tabs, the active tab and selection, document-level developer metadata, toasts.
import { addMetadata, metadataAt, type DeveloperMetadataFace } from './developer-metadata.js';
import type { AppsScriptHost } from './host.js';
import type { RangeFace, RangeListFace } from './range.js';
import { SheetFace } from './sheet.js';

export class SpreadsheetFace {
  constructor(private readonly host: AppsScriptHost) {}

  getId(): string {
    return this.host.sheet.spreadsheet().id;
  }

  getName(): string {
    return this.host.sheet.spreadsheet().title;
  }

  getUrl(): string {
    return `https://docs.google.com/spreadsheets/d/${this.getId()}/edit`;
  }

  getSpreadsheetTimeZone(): string {
    return 'Etc/UTC';
  }

  getSheets(): SheetFace[] {
    return [...this.host.sheet.spreadsheet().tabs].sort((a, b) => a.index - b.index).map((t) => new SheetFace(this.host, this, t.sheetId));
  }

  getSheetById(sheetId: number): SheetFace | null {
    return this.host.sheet.spreadsheet().tabs.some((t) => t.sheetId === sheetId) ? new SheetFace(this.host, this, sheetId) : null;
  }

  getSheetByName(name: string): SheetFace | null {
    const tab = this.host.sheet.spreadsheet().tabs.find((t) => t.title === name);
    return tab ? new SheetFace(this.host, this, tab.sheetId) : null;
  }

  getActiveSheet(): SheetFace {
    return new SheetFace(this.host, this, this.host.activeSelection().sheetId);
  }

  getActiveRangeList(): RangeListFace | null {
    return this.getActiveSheet().getActiveRangeList();
  }

  getActiveRange(): RangeFace | null {
    return this.getActiveSheet().getActiveRange();
  }

  /** A1 on the active tab unless it names one. */
  getRange(a1: string): RangeFace {
    return this.getActiveSheet().getRange(a1);
  }

  getDeveloperMetadata(): DeveloperMetadataFace[] {
    return metadataAt(this.host, (l) => l.kind === 'spreadsheet');
  }

  addDeveloperMetadata(...args: unknown[]): SpreadsheetFace {
    addMetadata(this.host, { kind: 'spreadsheet' }, args);
    return this;
  }

  toast(message: string, title = '', timeoutSeconds: number | null = 5): void {
    this.host.ui.toast({ message: String(message), title: String(title), timeoutSeconds });
  }
}
