// Writes finished rows back by their ids: one read of the id column finds each row where it is now, one write carries all.
import type { sheets_v4 } from '@googleapis/sheets';
import { RateLimitError, type RowfillError } from '../../engine/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { Job, Row } from '../../ports/domain.js';
import type { FlushResult, ResultSink } from '../../ports/sheet.js';
import type { SheetRef } from '../../ports/spreadsheet.js';
import { rangeStart } from './a1.js';
import { apiFailure, engineError } from './api-errors.js';
import { capCell, cellText, outputCell, type SheetCell } from './cell-text.js';
import { COLUMN_TAG_FILTER, COST_TAG, ERROR_TAG, ID_TAG, outputTag, STATUS_TAG, taggedColumns, type TaggedColumns } from './column-tags.js';
import { rowStatusText } from '../../engine/row-status-text.js';
import { valueBlocks, type CellWrite } from './value-blocks.js';
import type { WriteSpacer } from './write-spacer.js';

/** Google advises request bodies under ~2 MB and refuses far larger ones; one write stays under this many characters of values. */
const MAX_WRITE_CHARS = 2_000_000;
/** JSON quotes, commas and nulls around each value, roughly. */
const CELL_OVERHEAD = 8;

export interface SinkDeps {
  readonly sheets: sheets_v4.Sheets;
  readonly spacer: WriteSpacer;
  readonly clock: Clock;
}

interface Placement {
  /** The tab's current title (it may have been renamed since the job started). */
  readonly title: string;
  readonly tagged: TaggedColumns;
  /** Every row number each id sits on now. */
  readonly rowsById: ReadonlyMap<string, readonly number[]>;
}

/** The error column: what went wrong with a failed row, in the provider's or validator's words; empty otherwise. */
function errorCell(row: Row): SheetCell {
  return row.status === 'failed' ? capCell(row.errorMessage ?? row.errorClass ?? 'failed') : '';
}

/** The cost column: USD this row cost (a number cell, to the micro-dollar); 0 for a row answered free; empty when not finished. */
function costCell(row: Row): SheetCell {
  if (row.costUsd > 0) return Number(row.costUsd.toFixed(6));
  return row.status === 'done' || row.status === 'failed' ? 0 : '';
}

export class GoogleSheetsResultSink implements ResultSink {
  constructor(
    private readonly deps: SinkDeps,
    private readonly ref: SheetRef,
    private readonly outputs: readonly string[],
  ) {}

  async flush(job: Job, rows: readonly Row[]): Promise<FlushResult> {
    if (rows.length === 0) return { written: [], missing: [], duplicated: [] };
    const placement = await this.place();
    const written: string[] = [];
    const missing: string[] = [];
    const duplicated: string[] = [];
    const cells: CellWrite[] = [];
    const placedAt = new Map<string, number>();
    const statusColumn = placement?.tagged.get(STATUS_TAG);
    const errorColumn = placement?.tagged.get(ERROR_TAG);
    const costColumn = placement?.tagged.get(COST_TAG);
    let payload = 0;
    for (const row of rows) {
      const at = placement?.rowsById.get(row.rowId) ?? [];
      const [rowNumber] = at;
      if (rowNumber === undefined) {
        missing.push(row.rowId);
        continue;
      }
      if (at.length > 1) {
        duplicated.push(row.rowId);
        continue;
      }
      const rowCells: CellWrite[] = [];
      if (statusColumn !== undefined) rowCells.push({ row: rowNumber, column: statusColumn, value: rowStatusText(row, job) });
      if (errorColumn !== undefined) rowCells.push({ row: rowNumber, column: errorColumn, value: errorCell(row) });
      if (costColumn !== undefined) rowCells.push({ row: rowNumber, column: costColumn, value: costCell(row) });
      // Failed and cancelled rows carry no outputs: whatever the cells held before stays.
      for (const name of row.outputs === null ? [] : this.outputs) {
        const column = placement?.tagged.get(outputTag(name));
        if (column !== undefined) rowCells.push({ row: rowNumber, column, value: outputCell(row.outputs?.[name]) });
      }
      const size = rowCells.reduce((n, c) => n + String(c.value).length + CELL_OVERHEAD, 0);
      // Rows past the request-size budget stay unflushed; the pump writes them on its next tick.
      if (written.length > 0 && payload + size > MAX_WRITE_CHARS) break;
      payload += size;
      written.push(row.rowId);
      placedAt.set(row.rowId, rowNumber);
      cells.push(...rowCells);
    }
    if (!placement || cells.length === 0) return { written, missing, duplicated };
    await this.write(placement.title, cells);
    return { written, missing, duplicated, resync: await this.movedSince(placedAt) };
  }

  /**
   * The Sheets API has no conditional write, so a sort or insert landing between the id read and the write would put
   * cells on other rows. One more read of the id column tells: if any written row is no longer where it was written,
   * the engine rewrites every finished row at its current place, so the sheet converges to every result on its row.
   */
  private async movedSince(placedAt: ReadonlyMap<string, number>): Promise<boolean> {
    const now = await this.read();
    if (!now) return true;
    for (const [id, rowNumber] of placedAt) {
      const at = now.rowsById.get(id) ?? [];
      if (at.length !== 1 || at[0] !== rowNumber) return true;
    }
    return false;
  }

  async markStatus(_job: Job, rowIds: readonly string[], status: string): Promise<void> {
    if (rowIds.length === 0) return;
    const placement = await this.place();
    const column = placement?.tagged.get(STATUS_TAG);
    if (!placement || column === undefined) return;
    const cells: CellWrite[] = [];
    for (const id of rowIds) {
      const at = placement.rowsById.get(id) ?? [];
      const [rowNumber] = at;
      if (rowNumber !== undefined && at.length === 1) cells.push({ row: rowNumber, column, value: status });
    }
    if (cells.length > 0) await this.write(placement.title, cells);
  }

  /**
   * Takes this spreadsheet's write slot first, then finds the tagged columns and reads the id column, so the read is as
   * fresh as possible when the write goes out. Undefined when the id column is gone (every row is then missing).
   */
  private async place(): Promise<Placement | undefined> {
    await this.deps.spacer.acquire(this.ref.spreadsheetId);
    return this.read();
  }

  private async read(): Promise<Placement | undefined> {
    const { sheets } = this.deps;
    const { spreadsheetId, sheetId } = this.ref;
    const search = await this.call(() => sheets.spreadsheets.developerMetadata.search({ spreadsheetId, requestBody: { dataFilters: [COLUMN_TAG_FILTER] } }));
    const tagged = taggedColumns(search.data, sheetId);
    const idColumn = tagged.get(ID_TAG);
    if (idColumn === undefined) return undefined;
    // A grid range names the tab by id, so a renamed tab is still found; the answer's A1 range tells its current title.
    const read = await this.call(() =>
      sheets.spreadsheets.values.batchGetByDataFilter({
        spreadsheetId,
        requestBody: { dataFilters: [{ gridRange: { sheetId, startColumnIndex: idColumn, endColumnIndex: idColumn + 1 } }], majorDimension: 'COLUMNS' },
      }),
    );
    const valueRange = read.data.valueRanges?.[0]?.valueRange;
    if (!valueRange?.range) throw engineError({ status: 500, reason: 'INTERNAL', message: 'the id column read returned no range', retryAfterMs: undefined }, undefined);
    const start = rangeStart(valueRange.range);
    const rowsById = new Map<string, number[]>();
    (valueRange.values?.[0] ?? []).forEach((value, offset) => {
      const id = cellText(value).trim();
      if (id === '') return;
      const list = rowsById.get(id) ?? [];
      list.push(start.row + offset);
      rowsById.set(id, list);
    });
    return { title: start.title, tagged, rowsById };
  }

  private async write(title: string, cells: readonly CellWrite[]): Promise<void> {
    const { spreadsheetId } = this.ref;
    await this.call(() =>
      this.deps.sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: valueBlocks(title, cells) } }),
    );
    this.deps.spacer.succeeded(spreadsheetId);
  }

  /** Runs one API call; a 429 backs this spreadsheet off and becomes a RateLimitError the pump retries on a later tick. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.typed(error);
    }
  }

  private typed(error: unknown): RowfillError {
    const failure = apiFailure(error, this.deps.clock.now());
    if (failure.status === 429) {
      const retryAfterMs = this.deps.spacer.rateLimited(this.ref.spreadsheetId, failure.retryAfterMs);
      return new RateLimitError(`Google Sheets: ${failure.message}`, { retryAfterMs, status: 429, cause: error });
    }
    return engineError(failure, error);
  }
}
