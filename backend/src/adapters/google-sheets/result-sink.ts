// Writes finished rows back by their ids: one read of the id column finds each row where it is now, one write carries all
// and answers the id column as it stands right after, so a row that moved under the write is caught without another read.
import type { sheets_v4 } from '@googleapis/sheets';
import { RateLimitError, type RowfillError } from '../../kernel/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { Job, Row } from '../../ports/domain.js';
import type { FlushResult, ResultSink } from '../../ports/sheet.js';
import type { SheetRef } from '../../ports/spreadsheet.js';
import { rangeStart } from './a1.js';
import { apiFailure, engineError } from './api-errors.js';
import { capCell, cellText, outputCell, type SheetCell } from './cell-text.js';
import { COLUMN_KEY, COLUMN_TAG_FILTER, COST_TAG, ERROR_TAG, ID_TAG, outputTag, STATUS_TAG, taggedColumns, type TaggedColumns } from './column-tags.js';
import { rowStatusText } from '../../kernel/row-status-text.js';
import type { LayoutCache } from './layout-cache.js';
import type { QuotaGate } from './quota-gate.js';
import { rowBlocks, type CellWrite } from './value-blocks.js';
import type { WriteSpacer } from './write-spacer.js';

/** Google advises request bodies under ~2 MB and refuses far larger ones; one write stays under this many characters of values. */
const MAX_WRITE_CHARS = 2_000_000;
/** JSON quotes, commas and nulls around each value, roughly. */
const CELL_OVERHEAD = 8;

export interface SinkDeps {
  readonly sheets: sheets_v4.Sheets;
  readonly spacer: WriteSpacer;
  readonly clock: Clock;
  readonly gate: QuotaGate;
  readonly layouts: LayoutCache;
}

interface Placement {
  /** The tab's current title (it may have been renamed since the job started). */
  readonly title: string;
  readonly tagged: TaggedColumns;
  readonly idColumn: number;
  /** Every row number each id sits on now. */
  readonly rowsById: ReadonlyMap<string, readonly number[]>;
  /** Rowfill's own columns were found elsewhere than where the last writes put cells: rewrite every finished row. */
  readonly columnsMoved: boolean;
}

type Placed = { readonly placement: Placement | undefined } | { readonly deferred: { readonly retryAfterMs: number } };

interface IdColumn {
  readonly title: string;
  readonly column: number;
  readonly rowsById: Map<string, number[]>;
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
    const placed = await this.place();
    if ('deferred' in placed) return { written: [], missing: [], duplicated: [], deferred: placed.deferred };
    const placement = placed.placement && this.deps.layouts.takeMoved(this.ref) ? { ...placed.placement, columnsMoved: true } : placed.placement;
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
    if (!placement || cells.length === 0) return { written, missing, duplicated, ...(placement?.columnsMoved ? { resync: true } : {}) };
    const movedUnder = await this.writeOrBlankStrays(placement, cells, placedAt);
    return { written, missing, duplicated, resync: placement.columnsMoved || movedUnder };
  }

  /**
   * The Sheets API has no conditional write, so a sort or insert landing between the id read and the write puts cells
   * on other rows. The write answers the id column's cells on every written row as they are just after it (one request,
   * applied at once). Where one holds another id, or none, the cells that landed there are blanked at once: a row
   * outside the job (which no rewrite would touch) never keeps another row's answer, and a job row is rewritten at its
   * own place when the engine, told the sheet moved (true), writes every finished row again. The repair waits for its
   * Sheets token like a person's request: it is rare, and leaving a wrong answer on a row is worse than waiting.
   */
  private async writeOrBlankStrays(placement: Placement, cells: readonly CellWrite[], placedAt: ReadonlyMap<string, number>): Promise<boolean> {
    const after = await this.write(placement.title, cells, placement.idColumn);
    const strayRows = new Set<number>();
    for (const [id, rowNumber] of placedAt) if (after.get(rowNumber) !== id) strayRows.add(rowNumber);
    if (strayRows.size === 0) return false;
    await this.deps.gate.interactive(this.ref.spreadsheetId, { reads: 0, writes: 1 });
    const blanks = cells.filter((c) => strayRows.has(c.row)).map((c) => ({ ...c, value: '' }));
    // Not checked again: a second move in the moment between these two writes is far rarer than the first, and the
    // stray cells of a row without an id could not be found anyway. The engine's rewrite still puts every job row right.
    await this.write(placement.title, blanks, placement.idColumn);
    return true;
  }

  async markStatus(_job: Job, rowIds: readonly string[], status: string): Promise<void> {
    if (rowIds.length === 0) return;
    const placed = await this.place();
    if ('deferred' in placed) {
      throw new RateLimitError('Google Sheets: no request left in the deployment\'s Sheets budget for now; the statuses are written later', {
        retryAfterMs: placed.deferred.retryAfterMs,
        status: 429,
      });
    }
    const { placement } = placed;
    if (placement?.columnsMoved) this.deps.layouts.markMoved(this.ref);
    const column = placement?.tagged.get(STATUS_TAG);
    if (!placement || column === undefined) return;
    const cells: CellWrite[] = [];
    const placedAt = new Map<string, number>();
    for (const id of rowIds) {
      const at = placement.rowsById.get(id) ?? [];
      const [rowNumber] = at;
      if (rowNumber === undefined || at.length !== 1) continue;
      cells.push({ row: rowNumber, column, value: status });
      placedAt.set(id, rowNumber);
    }
    // Moved under the write: the next flush rewrites every finished row (a status blanked on a job row reappears then).
    if (cells.length > 0 && (await this.writeOrBlankStrays(placement, cells, placedAt))) this.deps.layouts.markMoved(this.ref);
  }

  /**
   * Takes this spreadsheet's write slot and the quota's tokens (one read and one write; one more read when the tagged
   * columns are not known or due a refresh), then reads the id column, so the read is as fresh as possible when the
   * write goes out. Deferred when the quota has no tokens now; placement undefined when the id column is gone.
   */
  private async place(): Promise<Placed> {
    const { spreadsheetId } = this.ref;
    await this.deps.spacer.acquire(spreadsheetId);
    const cached = this.deps.layouts.get(this.ref);
    const answer = await this.deps.gate.tryBackground(spreadsheetId, { reads: cached ? 1 : 2, writes: 1 });
    if (!answer.granted) return { deferred: { retryAfterMs: answer.retryAfterMs } };
    let tagged = cached ?? (await this.readTags());
    let fresh = cached === undefined;
    let ids = await this.readIds(tagged.get(ID_TAG));
    if (cached && ids?.column !== cached.get(ID_TAG)) {
      // The id column is not where it was: columns were inserted, deleted or moved. Find every tagged column again.
      const extra = await this.deps.gate.tryBackground(spreadsheetId, { reads: 2, writes: 0 });
      if (!extra.granted) return { deferred: { retryAfterMs: extra.retryAfterMs } };
      tagged = await this.readTags();
      fresh = true;
      ids = await this.readIds(tagged.get(ID_TAG));
    }
    const idColumn = tagged.get(ID_TAG);
    if (!ids || idColumn === undefined) {
      this.deps.layouts.forget(this.ref);
      return { placement: undefined };
    }
    if (ids.column !== idColumn) {
      // Columns moved between the two reads: nothing is written now; the next flush searches again.
      this.deps.layouts.forget(this.ref);
      return { deferred: { retryAfterMs: 0 } };
    }
    const columnsMoved = fresh && this.deps.layouts.remember(this.ref, tagged);
    return { placement: { title: ids.title, tagged, idColumn, rowsById: ids.rowsById, columnsMoved } };
  }

  private async readTags(): Promise<TaggedColumns> {
    const { sheets } = this.deps;
    const search = await this.call(() => sheets.spreadsheets.developerMetadata.search({ spreadsheetId: this.ref.spreadsheetId, requestBody: { dataFilters: [COLUMN_TAG_FILTER] } }));
    return taggedColumns(search.data, this.ref.sheetId);
  }

  /**
   * The id column found by its tag, wherever it is now: a metadata lookup selects the whole column, and the answer's
   * A1 range tells its index and the tab's current title. When the tag was copied, the column at `expected` is taken.
   */
  private async readIds(expected: number | undefined): Promise<IdColumn | undefined> {
    const { sheets } = this.deps;
    const { spreadsheetId, sheetId } = this.ref;
    const read = await this.call(() =>
      sheets.spreadsheets.values.batchGetByDataFilter({
        spreadsheetId,
        requestBody: {
          dataFilters: [
            {
              developerMetadataLookup: {
                metadataKey: COLUMN_KEY,
                metadataValue: ID_TAG,
                locationType: 'COLUMN',
                metadataLocation: { sheetId },
                locationMatchingStrategy: 'INTERSECTING_LOCATION',
              },
            },
          ],
          majorDimension: 'COLUMNS',
        },
      }),
    );
    const found = (read.data.valueRanges ?? [])
      .map((m) => m.valueRange)
      .filter((v): v is sheets_v4.Schema$ValueRange & { range: string } => typeof v?.range === 'string')
      .map((v) => ({ start: rangeStart(v.range), values: v.values?.[0] ?? [] }));
    const chosen = found.find((f) => f.start.column === expected) ?? found[0];
    if (!chosen) return undefined;
    const rowsById = new Map<string, number[]>();
    chosen.values.forEach((value, offset) => {
      const id = cellText(value).trim();
      if (id === '') return;
      const list = rowsById.get(id) ?? [];
      list.push(chosen.start.row + offset);
      rowsById.set(id, list);
    });
    return { title: chosen.start.title, column: chosen.start.column, rowsById };
  }

  /** One batched write; answers the id column's text on each written row as it is right after the write. */
  private async write(title: string, cells: readonly CellWrite[], idColumn: number): Promise<Map<number, string>> {
    const { spreadsheetId } = this.ref;
    const response = await this.call(() =>
      this.deps.sheets.spreadsheets.values.batchUpdate({
        spreadsheetId,
        requestBody: { valueInputOption: 'RAW', data: rowBlocks(title, cells, idColumn), includeValuesInResponse: true, responseValueRenderOption: 'FORMATTED_VALUE' },
      }),
    );
    this.deps.spacer.succeeded(spreadsheetId);
    const after = new Map<number, string>();
    for (const answer of response.data.responses ?? []) {
      const data = answer.updatedData;
      if (!data?.range) continue;
      const start = rangeStart(data.range);
      (data.values ?? []).forEach((line, offset) => after.set(start.row + offset, cellText(line[idColumn - start.column]).trim()));
    }
    return after;
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
