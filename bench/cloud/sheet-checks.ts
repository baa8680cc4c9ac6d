// Reads a stand-in spreadsheet as a user would see it: the bench's rows, when a status first shows, and where results landed.
import { createHash, randomBytes } from 'node:crypto';
import { columnLetters, type SheetsStandIn, type Workbook } from '../../local/sheets/index.js';
import { SHEETS_SA } from './settings.js';

/** Brands are fixed-width and carry the sheet's number, so no brand is a part of another and a result names its row. */
export function brandOf(sheet: number, row: number): string {
  return `S${sheet} Brand ${String(row).padStart(6, '0')}`;
}

export function createBenchSheet(sheets: SheetsStandIn, sheet: number, rows: number): Workbook {
  const table = [['Brand', 'Country', 'Notes']];
  for (let i = 0; i < rows; i++) table.push([brandOf(sheet, i), i % 2 ? 'Japan' : 'Sweden', `row ${i + 2}`]);
  return sheets.createSpreadsheet({ title: `Bench ${sheet}`, tabs: [{ title: 'Brands', sheetId: 0 }], rows: table, sharedWith: [SHEETS_SA] });
}

/** What the add-on does before each job request: a one-time nonce whose hash it stores as document metadata. */
export function writeProof(workbook: Workbook): string {
  const nonce = randomBytes(24).toString('hex');
  workbook.createMetadata({ key: 'rowfill.proof', value: createHash('sha256').update(nonce).digest('hex'), visibility: 'DOCUMENT', location: { kind: 'spreadsheet' } });
  return nonce;
}

const text = (cell: unknown): string => {
  if (typeof cell === 'string') return cell;
  return typeof cell === 'number' || typeof cell === 'boolean' ? String(cell) : '';
};

function header(workbook: Workbook): string[] {
  return (workbook.values('A1:Z1')[0] ?? []).map(text);
}

/** Whether any data row shows a rowfill_status yet. */
export function showsStatus(workbook: Workbook, rows: number): boolean {
  const column = header(workbook).indexOf('rowfill_status');
  if (column < 0) return false;
  const letters = columnLetters(column);
  return workbook.values(`${letters}2:${letters}${rows + 1}`).some((row) => text(row[0]) !== '');
}

export interface SheetCheck {
  /** Rows showing `done` with their own brand's answer. */
  readonly done: number;
  /** Rows not showing `done` (no result written). */
  readonly lost: number;
  /** Rows showing `done` whose answer names another row's brand, or a brand that moved. */
  readonly wrong: number;
}

/** The stand-in's answer for a text column names the row's inputs, so a result on the wrong row is visible. */
export function checkSheet(workbook: Workbook, sheet: number, rows: number): SheetCheck {
  const table = workbook.values(`A1:Z${rows + 1}`).map((row) => row.map(text));
  const head = table[0] ?? [];
  const [brand, category, status] = [head.indexOf('Brand'), head.indexOf('Category'), head.indexOf('rowfill_status')];
  let done = 0;
  let wrong = 0;
  table.slice(1).forEach((row, i) => {
    if (row[status] !== 'done') return;
    const own = row[brand] ?? '';
    if (own === brandOf(sheet, i) && (row[category] ?? '').includes(own)) done++;
    else wrong++;
  });
  return { done, lost: rows - done - wrong, wrong };
}
