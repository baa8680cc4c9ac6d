// prepareRows and readRows end to end: one batched read, columns found or created and tagged, ids and `queued` in one write.
import { afterEach, describe, expect, it } from 'vitest';
import type { PrepareRowsRequest } from '../../../../backend/src/ports/spreadsheet.js';
import { BRANDS, harness, sequentialIds, SERVICE_ACCOUNT, type Harness } from './fixtures.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function request(spreadsheetId: string, overrides: Partial<PrepareRowsRequest> = {}): PrepareRowsRequest {
  return {
    ref: { spreadsheetId, sheetId: 0 },
    ranges: ['A2:A7'],
    headerRow: 1,
    inputs: ['Brand', 'Website'],
    outputs: ['Category', 'Founded'],
    maxRows: 1000,
    ...overrides,
  };
}

function columnTags(h: Harness, id: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of h.standIn.workbook(id).metadata.list()) {
    if (m.key === 'rowfill.column' && m.location.kind === 'column' && m.value !== undefined) out[m.value] = m.location.index;
  }
  return out;
}

describe('GoogleSheetsGateway.prepareRows', () => {
  it('creates tagged output, status, error, cost and hidden id columns, and writes ids and `queued` in one values write', async () => {
    h = await harness({}, { idFactory: sequentialIds() });
    const sheet = h.standIn.createSpreadsheet({ title: 'Brands', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT], tabs: [{ title: 'Leads', columnCount: 5 }] });
    const reads = h.standIn.requestLog.length;
    const prepared = await h.gateway.prepareRows(request(sheet.id, { ranges: ['A2:B3', '3:5', 'C1'], inputs: ['brand', 'Website'] }));
    expect(prepared.spreadsheetTitle).toBe('Brands');
    expect(prepared.sheetTitle).toBe('Leads');
    expect(prepared.rows).toEqual([
      { rowId: 'r1', rowNumber: 2, inputs: { brand: 'Acme', Website: 'acme.test' }, currentOutputs: { Category: '', Founded: '' } },
      { rowId: 'r2', rowNumber: 3, inputs: { brand: 'Globex', Website: 'globex.test' }, currentOutputs: { Category: '', Founded: '' } },
      { rowId: 'r3', rowNumber: 4, inputs: { brand: 'Initech', Website: 'initech.test' }, currentOutputs: { Category: '', Founded: '' } },
      { rowId: 'r4', rowNumber: 5, inputs: { brand: 'Umbrella', Website: 'umbrella.test' }, currentOutputs: { Category: '', Founded: '' } },
    ]);
    const workbook = h.standIn.workbook(sheet.id);
    expect(workbook.values('Leads!A1:I6')).toEqual([
      ['Brand', 'Website', 'Country', 'Category', 'Founded', 'rowfill_status', 'rowfill_error', 'rowfill_cost_usd', 'rowfill_id'],
      ['Acme', 'acme.test', 'US', undefined, undefined, 'queued', undefined, undefined, 'r1'],
      ['Globex', 'globex.test', 'US', undefined, undefined, 'queued', undefined, undefined, 'r2'],
      ['Initech', 'initech.test', 'DE', undefined, undefined, 'queued', undefined, undefined, 'r3'],
      ['Umbrella', 'umbrella.test', 'FR', undefined, undefined, 'queued', undefined, undefined, 'r4'],
      ['Hooli', 'hooli.test', 'US', undefined, undefined, undefined, undefined, undefined, undefined],
    ]);
    expect(workbook.tab(0).columnCount).toBe(9);
    expect([...workbook.tab(0).hiddenColumns]).toEqual([8]);
    expect(columnTags(h, sheet.id)).toEqual({ 'output:Category': 3, 'output:Founded': 4, status: 5, error: 6, cost: 7, id: 8 });
    const calls = h.standIn.requestLog.slice(reads).map((e) => `${e.method} ${e.path.replace(`/v4/spreadsheets/${sheet.id}`, '')}`);
    expect(calls.filter((c) => c.includes('values:batchGet'))).toEqual(['GET /values:batchGet']);
    expect(h.standIn.writeLog.map((e) => e.path.replace(`/v4/spreadsheets/${sheet.id}`, ''))).toEqual([':batchUpdate', '/values:batchUpdate']);
  });

  it('reuses its columns and ids on the next job: one write, no new columns, fresh ids only where missing', async () => {
    h = await harness({}, { idFactory: sequentialIds() });
    const sheet = h.standIn.createSpreadsheet({ title: 'Brands', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    await h.gateway.prepareRows(request(sheet.id, { ranges: ['2:3'] }));
    const workbook = h.standIn.workbook(sheet.id);
    // The user moves things around between jobs: a column before everything, and the id column is where it was.
    workbook.insertDimension(0, 'COLUMNS', 0, 1);
    workbook.setValues('G2', [['done']]);
    workbook.setValues('H2', [['timeout: no answer in 60 s']]);
    workbook.setValues('E2', [['Hardware']]);
    h.standIn.resetLog();
    const again = await h.gateway.prepareRows(request(sheet.id, { ranges: ['2:4'] }));
    expect(again.rows.map((r) => [r.rowId, r.rowNumber, r.inputs.Brand, r.currentOutputs.Category])).toEqual([
      ['r1', 2, 'Acme', 'Hardware'],
      ['r2', 3, 'Globex', ''],
      ['r3', 4, 'Initech', ''],
    ]);
    expect(h.standIn.writeLog.map((e) => e.path.endsWith('/values:batchUpdate'))).toEqual([true]);
    // A new run clears the error an earlier one left.
    expect(workbook.values('G1:J4')).toEqual([
      ['rowfill_status', 'rowfill_error', 'rowfill_cost_usd', 'rowfill_id'],
      ['queued', undefined, undefined, 'r1'],
      ['queued', undefined, undefined, 'r2'],
      ['queued', undefined, undefined, 'r3'],
    ]);
  });

  it('puts an output added on a later job before the status and id columns, keeping every row, id and tag', async () => {
    h = await harness({}, { idFactory: sequentialIds() });
    const sheet = h.standIn.createSpreadsheet({ title: 'Brands', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT], tabs: [{ title: 'Leads', columnCount: 6 }] });
    await h.gateway.prepareRows(request(sheet.id, { ranges: ['2:3'], outputs: ['Category'] }));
    const workbook = h.standIn.workbook(sheet.id);
    workbook.setValues('D2', [['Hardware']]);
    const again = await h.gateway.prepareRows(request(sheet.id, { ranges: ['2:4'], outputs: ['Category', 'Founded', 'Public'] }));
    expect(again.rows.map((r) => [r.rowId, r.currentOutputs])).toEqual([
      ['r1', { Category: 'Hardware', Founded: '', Public: '' }],
      ['r2', { Category: '', Founded: '', Public: '' }],
      ['r3', { Category: '', Founded: '', Public: '' }],
    ]);
    expect(workbook.values('Leads!A1:J4')).toEqual([
      ['Brand', 'Website', 'Country', 'Category', 'Founded', 'Public', 'rowfill_status', 'rowfill_error', 'rowfill_cost_usd', 'rowfill_id'],
      ['Acme', 'acme.test', 'US', 'Hardware', undefined, undefined, 'queued', undefined, undefined, 'r1'],
      ['Globex', 'globex.test', 'US', undefined, undefined, undefined, 'queued', undefined, undefined, 'r2'],
      ['Initech', 'initech.test', 'DE', undefined, undefined, undefined, 'queued', undefined, undefined, 'r3'],
    ]);
    expect(columnTags(h, sheet.id)).toEqual({ 'output:Category': 3, 'output:Founded': 4, 'output:Public': 5, status: 6, error: 7, cost: 8, id: 9 });
    expect([...workbook.tab(0).hiddenColumns]).toEqual([9]);
    expect(workbook.tab(0).columnCount).toBe(10);
  });

  it('keeps working on a sheet laid out the old way (an output after the status and id columns, no error or cost column)', async () => {
    h = await harness({}, { idFactory: sequentialIds() });
    const sheet = h.standIn.createSpreadsheet({ title: 'Brands', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    const workbook = h.standIn.workbook(sheet.id);
    // The old layout: Category, status, id, then Founded appended after them by a later job.
    workbook.setValues('D1', [['Category', 'rowfill_status', 'rowfill_id', 'Founded'], ['Hardware', 'done', 'a1', 1999]]);
    for (const [tag, column] of [['output:Category', 3], ['status', 4], ['id', 5], ['output:Founded', 6]] as const) {
      workbook.createMetadata({ key: 'rowfill.column', value: tag, visibility: 'DOCUMENT', location: { kind: 'column', sheetId: 0, index: column } });
    }
    const prepared = await h.gateway.prepareRows(request(sheet.id, { ranges: ['2:3'], outputs: ['Category', 'Founded', 'Public'] }));
    expect(prepared.rows.map((r) => [r.rowId, r.currentOutputs])).toEqual([
      ['a1', { Category: 'Hardware', Founded: '1999', Public: '' }],
      ['r1', { Category: '', Founded: '', Public: '' }],
    ]);
    expect(workbook.values('A1:J3')).toEqual([
      ['Brand', 'Website', 'Country', 'Category', 'Public', 'rowfill_status', 'rowfill_error', 'rowfill_cost_usd', 'rowfill_id', 'Founded'],
      ['Acme', 'acme.test', 'US', 'Hardware', undefined, 'queued', undefined, undefined, 'a1', 1999],
      ['Globex', 'globex.test', 'US', undefined, undefined, 'queued', undefined, undefined, 'r1', undefined],
    ]);
    expect(columnTags(h, sheet.id)).toEqual({ 'output:Category': 3, 'output:Public': 4, status: 5, error: 6, cost: 7, id: 8, 'output:Founded': 9 });
    expect([...workbook.tab(0).hiddenColumns]).toEqual([]);
  });

  it('gives a copied row a fresh id, so no two rows share one', async () => {
    h = await harness({}, { idFactory: sequentialIds() });
    const sheet = h.standIn.createSpreadsheet({ title: 'Brands', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    await h.gateway.prepareRows(request(sheet.id, { ranges: ['2:3'] }));
    const workbook = h.standIn.workbook(sheet.id);
    // Row 3 copied over row 6 (id and all), then only the copy is selected: it must not keep the original's id.
    workbook.setValues('A6', [workbook.values('A3:I3')[0]!.map((v) => v ?? null)]);
    const onlyCopy = await h.gateway.prepareRows(request(sheet.id, { ranges: ['6:6'] }));
    expect(onlyCopy.rows.map((r) => [r.rowNumber, r.rowId])).toEqual([[6, 'r3']]);
    expect(workbook.cell('I3')).toBe('r2');
    expect(workbook.cell('I6')).toBe('r3');
    // Both holders selected: the first keeps the id, the second gets a new one.
    workbook.setValues('I7', [['r1']]);
    const both = await h.gateway.prepareRows(request(sheet.id, { ranges: ['2:7'] }));
    expect(both.rows.map((r) => r.rowId)).toEqual(['r1', 'r2', 'r4', 'r5', 'r3', 'r6']);
  });

  it('grows the grid when the new columns do not fit, and skips blank rows of an open selection', async () => {
    h = await harness({}, { idFactory: sequentialIds() });
    const sheet = h.standIn.createSpreadsheet({ title: 'Tight', sharedWith: [SERVICE_ACCOUNT], tabs: [{ title: 'T', rows: BRANDS, columnCount: 3, rowCount: 20 }] });
    const prepared = await h.gateway.prepareRows(request(sheet.id, { ranges: ['A:A'] }));
    expect(prepared.rows.map((r) => r.rowNumber)).toEqual([2, 3, 4, 5, 6, 7]);
    const tab = h.standIn.workbook(sheet.id).tab(0);
    expect(tab.columnCount).toBe(9);
  });

  it('names the columns there are when an input column is unknown', async () => {
    h = await harness();
    const sheet = h.standIn.createSpreadsheet({ title: 'Brands', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    const error = await h.gateway.prepareRows(request(sheet.id, { inputs: ['Brand', 'Revenue'] })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'SheetAccessError',
      code: 'unknown_column',
      message: 'No column named "Revenue" in header row 1. The columns are: "Brand", "Website", "Country".',
    });
    expect(h.standIn.writeLog).toEqual([]);
  });

  it('refuses more rows than maxRows, ranges it cannot read, and ranges on another tab', async () => {
    h = await harness();
    const sheet = h.standIn.createSpreadsheet({ title: 'Brands', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    await expect(h.gateway.prepareRows(request(sheet.id, { maxRows: 5 }))).rejects.toMatchObject({ code: 'too_many_rows' });
    await expect(h.gateway.prepareRows(request(sheet.id, { ranges: ['A2:B3:C4'] }))).rejects.toMatchObject({ code: 'invalid_range' });
    await expect(h.gateway.prepareRows(request(sheet.id, { ranges: ["'Other'!A2:A3"] }))).rejects.toMatchObject({
      code: 'invalid_range',
      message: 'The range "\'Other\'!A2:A3" is on tab "Other", not on "Sheet1".',
    });
    await expect(h.gateway.prepareRows(request(sheet.id, { ref: { spreadsheetId: sheet.id, sheetId: 99 } }))).rejects.toMatchObject({ code: 'not_found' });
    expect(h.standIn.writeLog).toEqual([]);
  });

  it('reports a rate-limited write as quota, for a person to retry', async () => {
    h = await harness({ writesPerMinute: 1 });
    const sheet = h.standIn.createSpreadsheet({ title: 'Brands', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    await expect(h.gateway.prepareRows(request(sheet.id))).rejects.toMatchObject({ name: 'SheetAccessError', code: 'quota' });
  });
});

describe('GoogleSheetsGateway.readRows', () => {
  it('reads like prepareRows without writing: placeholder ids and empty outputs for missing columns', async () => {
    h = await harness({}, { idFactory: sequentialIds() });
    const sheet = h.standIn.createSpreadsheet({ title: 'Brands', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    await h.gateway.prepareRows(request(sheet.id, { ranges: ['2:2'] }));
    h.standIn.resetLog();
    const read = await h.gateway.readRows(request(sheet.id, { ranges: ['2:3'], outputs: ['Category', 'Employees'] }));
    expect(read.rows).toEqual([
      { rowId: 'r1', rowNumber: 2, inputs: { Brand: 'Acme', Website: 'acme.test' }, currentOutputs: { Category: '', Employees: '' } },
      { rowId: 'new:3', rowNumber: 3, inputs: { Brand: 'Globex', Website: 'globex.test' }, currentOutputs: { Category: '', Employees: '' } },
    ]);
    expect(h.standIn.writeLog).toEqual([]);
  });

  it("reports output columns Rowfill did not create, with their filled cells in the selected rows, and not its own", async () => {
    h = await harness({}, { idFactory: sequentialIds() });
    const sheet = h.standIn.createSpreadsheet({ title: 'Brands', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
    const workbook = h.standIn.workbook(sheet.id);
    workbook.setValues('C3', [['']]);
    // `Country` is the user's, filled on rows 2, 4 and 5 of the selection 2:5; `Notes` is theirs too but blank there.
    workbook.setValues('D1', [['Notes'], [''], [''], [''], [''], [''], ['later']]);
    const read = await h.gateway.readRows(request(sheet.id, { ranges: ['2:5'], inputs: ['Brand'], outputs: ['Country', 'Notes', 'Category'] }));
    expect(read.overwrites).toEqual([{ column: 'Country', filledCells: 3 }]);
    expect(h.standIn.writeLog).toEqual([]);
    // Once Rowfill has written its own Category column, it is not the user's data any more.
    await h.gateway.prepareRows(request(sheet.id, { ranges: ['2:5'], inputs: ['Brand'], outputs: ['Category'] }));
    workbook.setValues('E2', [['Hardware']]);
    const again = await h.gateway.readRows(request(sheet.id, { ranges: ['2:5'], inputs: ['Brand'], outputs: ['Category'] }));
    expect(again.overwrites).toEqual([]);
  });
});
