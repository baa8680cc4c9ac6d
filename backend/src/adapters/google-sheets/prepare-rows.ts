// Reads a selection in one batched read, anchors every row with a rowfill_id, and marks the rows queued in one batched write.
import type { sheets_v4 } from '@googleapis/sheets';
import type { Clock } from '../../ports/clock.js';
import {
  SheetAccessError,
  type AdmitPreparation,
  type ColumnOverwrite,
  type PreparedRow,
  type PreparedSheet,
  type PrepareRowsRequest,
} from '../../ports/spreadsheet.js';
import { columnA1, rowsA1 } from './a1.js';
import { apiFailure } from './api-errors.js';
import { cellText } from './cell-text.js';
import { ID_TAG, tagColumnRequest } from './column-tags.js';
import { planColumns, type ColumnPlan } from './column-plan.js';
import { deleteProofRequests } from './proof.js';
import { readLayout, type SheetLayout } from './sheet-layout.js';
import { selectedRows, type RowInterval } from './row-selection.js';
import { valueBlocks, type CellWrite } from './value-blocks.js';
import type { QuotaGate } from './quota-gate.js';
import type { WriteSpacer } from './write-spacer.js';

export interface PrepareDeps {
  readonly sheets: sheets_v4.Sheets;
  readonly spacer: WriteSpacer;
  readonly clock: Clock;
  readonly idFactory: () => string;
  readonly gate: QuotaGate;
}

export const QUEUED_STATUS = 'queued';

interface ReadResult {
  readonly layout: SheetLayout;
  readonly intervals: readonly RowInterval[];
  readonly header: readonly string[];
  /** Cells of each selected row by row number, as read. */
  readonly rows: ReadonlyMap<number, readonly unknown[]>;
  /** How many times each id appears in the whole id column (rows below the header). */
  readonly idCounts: ReadonlyMap<string, number>;
  readonly plan: ColumnPlan;
}

async function readSelection(deps: PrepareDeps, request: PrepareRowsRequest, withIdColumn: boolean): Promise<ReadResult> {
  const { ref, headerRow } = request;
  // A person waits for this (estimate, job start): the layout's two reads, then the selection's one.
  await deps.gate.interactive(ref.spreadsheetId, { reads: 3, writes: 0 });
  const layout = await readLayout(deps.sheets, ref, withIdColumn ? request.proofNonce : undefined);
  const intervals = selectedRows(request.ranges, layout.sheetTitle, headerRow, layout.rowCount);
  const title = layout.sheetTitle;
  const idColumn = layout.tagged.get(ID_TAG);
  const ranges = [rowsA1(title, headerRow, headerRow), ...intervals.map((i) => rowsA1(title, i.first, i.last))];
  const readIds = withIdColumn && idColumn !== undefined;
  if (readIds) ranges.push(columnA1(title, idColumn));
  const { data } = await deps.sheets.spreadsheets.values.batchGet({ spreadsheetId: ref.spreadsheetId, ranges });
  const valueRanges = data.valueRanges ?? [];
  const header = (valueRanges[0]?.values?.[0] ?? []).map(cellText);
  const rows = new Map<number, readonly unknown[]>();
  let usedWidth = header.length;
  intervals.forEach((interval, k) => {
    (valueRanges[k + 1]?.values ?? []).forEach((cells, offset) => {
      rows.set(interval.first + offset, cells);
      usedWidth = Math.max(usedWidth, cells.length);
    });
  });
  for (const column of layout.tagged.values()) usedWidth = Math.max(usedWidth, column + 1);
  const idCounts = new Map<string, number>();
  if (readIds) {
    (valueRanges[intervals.length + 1]?.values ?? []).forEach((cells, i) => {
      const id = cellText(cells[0]).trim();
      if (i + 1 > headerRow && id !== '') idCounts.set(id, (idCounts.get(id) ?? 0) + 1);
    });
  }
  const plan = planColumns({
    header,
    headerRow,
    usedWidth,
    columnCount: layout.columnCount,
    tagged: layout.tagged,
    inputs: request.inputs,
    outputs: request.outputs,
  });
  return { layout, intervals, header, rows, idCounts, plan };
}

/** The text of a planned column in a row as read; empty for a column the plan creates. */
function cellOf(read: ReadResult, cells: readonly unknown[], column: number): string {
  const at = read.plan.readIndex(column);
  return at === undefined ? '' : cellText(cells[at]);
}

/** Rows of the selection with something in an input column; blank rows in a selection (e.g. `A:A`) are not work. */
function selectedRowNumbers(read: ReadResult, maxRows: number): number[] {
  const numbers: number[] = [];
  for (const interval of read.intervals) {
    for (let n = interval.first; n <= interval.last; n++) {
      const cells = read.rows.get(n) ?? [];
      if ([...read.plan.inputs.values()].every((c) => cellOf(read, cells, c).trim() === '')) continue;
      numbers.push(n);
      if (numbers.length > maxRows) {
        throw new SheetAccessError('too_many_rows', `The selection has more than ${maxRows} rows with data; a job may hold at most ${maxRows}. Select fewer rows.`);
      }
    }
  }
  return numbers;
}

function rowOf(read: ReadResult, request: PrepareRowsRequest, rowNumber: number, rowId: string): PreparedRow {
  const cells = read.rows.get(rowNumber) ?? [];
  const inputs: Record<string, string> = {};
  for (const [name, column] of read.plan.inputs) inputs[name] = cellOf(read, cells, column);
  const currentOutputs: Record<string, string> = {};
  for (const name of request.outputs) {
    const column = read.plan.outputs.get(name);
    currentOutputs[name] = column === undefined ? '' : cellOf(read, cells, column);
  }
  return { rowId, rowNumber, inputs, currentOutputs };
}

/**
 * Ids for the selected rows. A row keeps its id unless another row holds the same one (a copied row): then the
 * first selected holder keeps it only when every holder is selected, and the others get fresh ids, so no two rows of
 * the sheet share an id after this.
 */
function assignIds(read: ReadResult, numbers: readonly number[], idFactory: () => string): Map<number, { id: string; fresh: boolean }> {
  const existing = (n: number): string => cellOf(read, read.rows.get(n) ?? [], read.plan.id).trim();
  const selectedHolders = new Map<string, number>();
  for (const n of numbers) {
    const id = existing(n);
    if (id !== '') selectedHolders.set(id, (selectedHolders.get(id) ?? 0) + 1);
  }
  const used = new Set(read.idCounts.keys());
  const kept = new Set<string>();
  const out = new Map<number, { id: string; fresh: boolean }>();
  for (const n of numbers) {
    const id = existing(n);
    const holders = Math.max(read.idCounts.get(id) ?? 0, selectedHolders.get(id) ?? 0);
    if (id !== '' && !kept.has(id) && (holders <= 1 || holders === selectedHolders.get(id))) {
      kept.add(id);
      out.set(n, { id, fresh: false });
      continue;
    }
    let fresh = idFactory();
    for (let tries = 0; used.has(fresh) || fresh.trim() === '' || fresh !== fresh.trim(); tries++) {
      if (tries > 100) throw new Error('GoogleSheetsGateway: idFactory keeps returning ids already in use');
      fresh = idFactory();
    }
    used.add(fresh);
    out.set(n, { id: fresh, fresh: true });
  }
  return out;
}

/**
 * Output columns matched by header rather than by Rowfill's tag — the user's own columns — with their filled cells in
 * the selected rows. Columns with nothing in those rows are left out: writing them replaces nothing.
 */
function overwritesOf(read: ReadResult, request: PrepareRowsRequest, numbers: readonly number[]): ColumnOverwrite[] {
  const adopted = new Set(read.plan.adopted.map((a) => a.column));
  const out: ColumnOverwrite[] = [];
  for (const name of request.outputs) {
    const column = read.plan.outputs.get(name);
    if (column === undefined || !adopted.has(column)) continue;
    const filledCells = numbers.filter((n) => cellOf(read, read.rows.get(n) ?? [], column).trim() !== '').length;
    if (filledCells > 0) out.push({ column: read.header[read.plan.readIndex(column) ?? -1] ?? name, filledCells });
  }
  return out;
}

/** The estimate's read: nothing is written; rows without an id get the placeholder `new:<rowNumber>`. */
export async function readPreparedSheet(deps: PrepareDeps, request: PrepareRowsRequest): Promise<PreparedSheet> {
  const read = await readSelection(deps, request, false);
  const numbers = selectedRowNumbers(read, request.maxRows);
  const rows = numbers.map((n) => {
    const id = cellOf(read, read.rows.get(n) ?? [], read.plan.id).trim();
    return rowOf(read, request, n, id === '' ? `new:${n}` : id);
  });
  return { spreadsheetTitle: read.layout.spreadsheetTitle, sheetTitle: read.layout.sheetTitle, rows, overwrites: overwritesOf(read, request, numbers) };
}

async function write(deps: PrepareDeps, spreadsheetId: string, call: () => Promise<unknown>): Promise<void> {
  await deps.spacer.acquire(spreadsheetId);
  await deps.gate.interactive(spreadsheetId, { reads: 0, writes: 1 });
  try {
    await call();
    deps.spacer.succeeded(spreadsheetId);
  } catch (error) {
    const failure = apiFailure(error, deps.clock.now());
    if (failure.status === 429) deps.spacer.rateLimited(spreadsheetId, failure.retryAfterMs);
    throw error;
  }
}

/** A refusal by the caller's `admit`, carried past the gateway's mapping of Google's errors unchanged. */
export class AdmitRefusal extends Error {
  constructor(readonly reason: unknown) {
    super('the caller refused the preparation', { cause: reason });
    this.name = 'AdmitRefusal';
  }
}

/** Inserts, tags and hides the columns the plan creates or adopts; inserts first, rightmost first. */
function columnChanges(plan: ColumnPlan, sheetId: number): sheets_v4.Schema$Request[] {
  const structure: sheets_v4.Schema$Request[] = [];
  // Inserts come first, rightmost first, before anything is tagged at its final index (tags further right move with
  // their columns). Each takes the properties of the column after it, Rowfill's own, never a hidden neighbour's.
  for (const { at, count } of plan.inserts) {
    structure.push({ insertDimension: { range: { sheetId, dimension: 'COLUMNS', startIndex: at, endIndex: at + count }, inheritFromBefore: false } });
  }
  if (plan.appendColumns > 0) structure.push({ appendDimension: { sheetId, dimension: 'COLUMNS', length: plan.appendColumns } });
  for (const c of [...plan.created, ...plan.adopted]) structure.push(tagColumnRequest(sheetId, c.column, c.tag));
  if (plan.created.some((c) => c.column === plan.id)) {
    structure.push({
      updateDimensionProperties: {
        range: { sheetId, dimension: 'COLUMNS', startIndex: plan.id, endIndex: plan.id + 1 },
        properties: { hiddenByUser: true },
        fields: 'hiddenByUser',
      },
    });
  }
  return structure;
}

/**
 * prepareRows: one read of the layout (and the proof, for a start), one of the selection; then `admit` decides before
 * anything is written; then at most one structural write (the proof deleted, new columns and their tags) and one values
 * write. A job start is 3 reads and 2 writes, with nothing read twice.
 */
export async function prepareSheet(deps: PrepareDeps, request: PrepareRowsRequest, admit?: AdmitPreparation): Promise<PreparedSheet> {
  const { spreadsheetId, sheetId } = request.ref;
  const read = await readSelection(deps, request, true);
  const numbers = selectedRowNumbers(read, request.maxRows);
  const result = { spreadsheetTitle: read.layout.spreadsheetTitle, sheetTitle: read.layout.sheetTitle };
  const proof = read.layout.proof ?? { matched: false, metadataIds: [] };
  // Deleted in the first write, so a proof is gone before anything it allowed is done (DESIGN §6).
  const dropProof = deleteProofRequests(proof.metadataIds);
  const structural = (requests: sheets_v4.Schema$Request[]) =>
    write(deps, spreadsheetId, () => deps.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }));
  if (admit) {
    try {
      await admit({ overwrites: overwritesOf(read, request, numbers), proofMatched: proof.matched });
    } catch (error) {
      // A proof that did not match is used up all the same, as consumeProof does; a matched one is the add-on's to
      // remove. Should that delete fail, the refusal is still what the person is told: a stale proof matches nothing.
      if (!proof.matched && dropProof.length > 0) await structural(dropProof).catch(() => undefined);
      throw new AdmitRefusal(error);
    }
  }
  if (numbers.length === 0) {
    if (dropProof.length > 0) await structural(dropProof);
    return { ...result, rows: [] };
  }
  const { plan } = read;
  const structure = [...dropProof, ...columnChanges(plan, sheetId)];
  const ids = assignIds(read, numbers, deps.idFactory);
  const cells: CellWrite[] = plan.created.map((c) => ({ row: request.headerRow, column: c.column, value: c.header }));
  for (const n of numbers) {
    const assigned = ids.get(n);
    if (assigned?.fresh) cells.push({ row: n, column: plan.id, value: assigned.id });
    cells.push({ row: n, column: plan.status, value: QUEUED_STATUS });
    // An error from an earlier run no longer describes the row once it is queued again.
    if (cellOf(read, read.rows.get(n) ?? [], plan.error) !== '') cells.push({ row: n, column: plan.error, value: '' });
  }
  if (structure.length > 0) await structural(structure);
  await write(deps, spreadsheetId, () =>
    deps.sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: valueBlocks(read.layout.sheetTitle, cells) } }),
  );
  return { ...result, rows: numbers.map((n) => rowOf(read, request, n, ids.get(n)?.id ?? '')) };
}
