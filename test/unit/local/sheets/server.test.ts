// The stand-in's REST face through the real @googleapis/sheets client: access, values, structure, metadata, quota, log, files.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { sheets_v4 } from '@googleapis/sheets';
import { afterEach, describe, expect, it } from 'vitest';
import { standInSheetsClient } from '../../../../local/sheets/client.js';
import { startSheetsStandIn, type SheetsStandIn } from '../../../../local/sheets/server.js';

let standIn: SheetsStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function setup(options: Parameters<typeof startSheetsStandIn>[0] = {}): Promise<{ s: SheetsStandIn; api: sheets_v4.Sheets; id: string }> {
  standIn = await startSheetsStandIn(options);
  const workbook = standIn.createSpreadsheet({
    title: 'Brands',
    tabs: [{ title: 'Leads list', sheetId: 7, rows: [['Brand', 'Website'], ['Acme', 'acme.test'], ['Globex', 'globex.test']] }, 'Other'],
    sharedWith: ['alice'],
  });
  return { s: standIn, api: standInSheetsClient({ url: standIn.url, token: 'alice' }), id: workbook.id };
}

function statusOf(error: unknown): { status?: number; data?: unknown } {
  const e = error as { status?: number; response?: { data?: unknown } };
  return { status: e.status, data: e.response?.data };
}

describe('Sheets stand-in over HTTP', () => {
  it('listens on loopback and serves spreadsheets.get with tab properties', async () => {
    const { s, api, id } = await setup();
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/`);
    const { data } = await api.spreadsheets.get({ spreadsheetId: id });
    expect(data.properties?.title).toBe('Brands');
    expect(data.sheets?.map((t) => t.properties)).toEqual([
      { sheetId: 7, title: 'Leads list', index: 0, sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26 } },
      { sheetId: 8, title: 'Other', index: 1, sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26 } },
    ]);
    const titleOnly = await api.spreadsheets.get({ spreadsheetId: id, fields: 'properties.title' });
    expect(Object.keys(titleOnly.data)).toEqual(['properties']);
  });

  it('answers 401 without a token, 404 for an unknown spreadsheet and 403 PERMISSION_DENIED when not shared', async () => {
    const { s, id } = await setup();
    const res = await fetch(`${s.url}v4/spreadsheets/${id}`);
    expect(res.status).toBe(401);
    const bob = standInSheetsClient({ url: s.url, token: 'bob' });
    const denied = await bob.spreadsheets.get({ spreadsheetId: id }).catch(statusOf);
    expect(denied).toMatchObject({ status: 403, data: { error: { code: 403, status: 'PERMISSION_DENIED', message: 'The caller does not have permission' } } });
    const missing = await bob.spreadsheets.get({ spreadsheetId: 'nope' }).catch(statusOf);
    expect(missing).toMatchObject({ status: 404, data: { error: { status: 'NOT_FOUND', message: 'Requested entity was not found.' } } });
    s.share(id, 'bob', 'reader');
    await expect(bob.spreadsheets.get({ spreadsheetId: id })).resolves.toBeTruthy();
    const write = await bob.spreadsheets.values
      .batchUpdate({ spreadsheetId: id, requestBody: { valueInputOption: 'RAW', data: [{ range: "'Leads list'!C1", values: [['x']] }] } })
      .catch(statusOf);
    expect(write).toMatchObject({ status: 403 });
  });

  it('reads ranges with trailing blanks trimmed, open ranges clipped to the grid, and formatted values', async () => {
    const { s, api, id } = await setup();
    s.workbook(id).setValues("'Leads list'!C2", [[1234.5], [true]]);
    const one = await api.spreadsheets.values.get({ spreadsheetId: id, range: "'Leads list'!A1:D" });
    expect(one.data).toEqual({
      range: "'Leads list'!A1:D1000",
      majorDimension: 'ROWS',
      values: [['Brand', 'Website'], ['Acme', 'acme.test', '1234.5'], ['Globex', 'globex.test', 'TRUE']],
    });
    const batch = await api.spreadsheets.values.batchGet({ spreadsheetId: id, ranges: ["'Leads list'!2:2", "'Leads list'!C:C", 'Other!A1:B2'], valueRenderOption: 'UNFORMATTED_VALUE' });
    expect(batch.data.valueRanges).toEqual([
      { range: "'Leads list'!A2:Z2", majorDimension: 'ROWS', values: [['Acme', 'acme.test', 1234.5]] },
      { range: "'Leads list'!C1:C1000", majorDimension: 'ROWS', values: [[], [1234.5], [true]] },
      { range: 'Other!A1:B2', majorDimension: 'ROWS' },
    ]);
    const beyond = await api.spreadsheets.values.get({ spreadsheetId: id, range: "'Leads list'!A1:A1001" }).catch(statusOf);
    expect(beyond).toMatchObject({ status: 400, data: { error: { status: 'INVALID_ARGUMENT', message: "Range ('Leads list'!A1:A1001) exceeds grid limits. Max rows: 1000, max columns: 26" } } });
    const bad = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Nope!A1' }).catch(statusOf);
    expect(bad).toMatchObject({ status: 400, data: { error: { message: 'Unable to parse range: Nope!A1' } } });
  });

  it('stores RAW strings verbatim, never as formulas, while USER_ENTERED parses them', async () => {
    const { s, api, id } = await setup();
    const formula = '=IMPORTXML("http://evil.test","//a")';
    const res = await api.spreadsheets.values.batchUpdate({
      spreadsheetId: id,
      requestBody: { valueInputOption: 'RAW', data: [{ range: "'Leads list'!C2:D3", values: [[formula, '42'], [null, 7]] }] },
    });
    expect(res.data).toMatchObject({ totalUpdatedCells: 3, totalUpdatedRows: 2, totalUpdatedSheets: 1 });
    const workbook = s.workbook(id);
    expect(workbook.cell("'Leads list'!C2")).toBe(formula);
    expect(workbook.cell("'Leads list'!D2")).toBe('42');
    expect(workbook.cell("'Leads list'!C3")).toBeUndefined();
    expect(workbook.cell("'Leads list'!D3")).toBe(7);
    await api.spreadsheets.values.batchUpdate({
      spreadsheetId: id,
      requestBody: { valueInputOption: 'USER_ENTERED', data: [{ range: "'Leads list'!E2", values: [[formula, '42', "'=text", 'true']] }] },
    });
    expect(workbook.values("'Leads list'!E2:H2")).toEqual([[{ formula }, 42, '=text', true]]);
  });

  it('answers the values of each requested range after the write with includeValuesInResponse, skipped null cells included', async () => {
    const { api, id } = await setup();
    const res = await api.spreadsheets.values.batchUpdate({
      spreadsheetId: id,
      requestBody: { valueInputOption: 'RAW', includeValuesInResponse: true, data: [{ range: "'Leads list'!A2:C3", values: [[null, 'acme.new', 1], [null, null, 2]] }] },
    });
    expect(res.data.responses?.[0]?.updatedData).toEqual({ range: "'Leads list'!A2:C3", majorDimension: 'ROWS', values: [['Acme', 'acme.new', '1'], ['Globex', 'globex.test', '2']] });
    const plain = await api.spreadsheets.values.batchUpdate({ spreadsheetId: id, requestBody: { valueInputOption: 'RAW', data: [{ range: "'Leads list'!C2", values: [[3]] }] } });
    expect(plain.data.responses?.[0]?.updatedData).toBeUndefined();
  });

  it('writes a batch all-or-nothing and refuses values that overflow their range or a cell over 50,000 characters', async () => {
    const { s, api, id } = await setup();
    const overflow = await api.spreadsheets.values
      .batchUpdate({
        spreadsheetId: id,
        requestBody: { valueInputOption: 'RAW', data: [{ range: "'Leads list'!C2", values: [['ok']] }, { range: "'Leads list'!D2:D3", values: [['a'], ['b'], ['c']] }] },
      })
      .catch(statusOf);
    expect(overflow).toMatchObject({ status: 400, data: { error: { message: "Requested writing within range ['Leads list'!D2:D3], but tried writing to row [4]" } } });
    expect(s.workbook(id).cell("'Leads list'!C2")).toBeUndefined();
    const huge = await api.spreadsheets.values
      .batchUpdate({ spreadsheetId: id, requestBody: { valueInputOption: 'RAW', data: [{ range: "'Leads list'!C2", values: [['x'.repeat(50_001)]] }] } })
      .catch(statusOf);
    expect(huge).toMatchObject({ status: 400, data: { error: { message: 'Your input contains more than the maximum of 50000 characters in a single cell.' } } });
  });

  it('applies structural batchUpdate requests and moves metadata with them', async () => {
    const { s, api, id } = await setup();
    const created = await api.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          { appendDimension: { sheetId: 7, dimension: 'COLUMNS', length: 2 } },
          {
            createDeveloperMetadata: {
              developerMetadata: {
                metadataKey: 'rowfill.column',
                metadataValue: 'id',
                visibility: 'DOCUMENT',
                location: { dimensionRange: { sheetId: 7, dimension: 'COLUMNS', startIndex: 27, endIndex: 28 } },
              },
            },
          },
          { updateDimensionProperties: { range: { sheetId: 7, dimension: 'COLUMNS', startIndex: 27, endIndex: 28 }, properties: { hiddenByUser: true }, fields: 'hiddenByUser' } },
          { insertDimension: { range: { sheetId: 7, dimension: 'COLUMNS', startIndex: 0, endIndex: 1 } } },
        ],
      },
    });
    const meta = created.data.replies?.[1]?.createDeveloperMetadata?.developerMetadata;
    expect(meta).toMatchObject({ metadataKey: 'rowfill.column', metadataValue: 'id', location: { locationType: 'COLUMN' } });
    const tab = s.workbook(id).tab(7);
    expect(tab.columnCount).toBe(29);
    expect([...tab.hiddenColumns]).toEqual([28]);
    const fetched = await api.spreadsheets.developerMetadata.get({ spreadsheetId: id, metadataId: meta!.metadataId! });
    expect(fetched.data.location?.dimensionRange).toEqual({ sheetId: 7, dimension: 'COLUMNS', startIndex: 28, endIndex: 29 });
    const sorted = await api.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: { requests: [{ sortRange: { range: { sheetId: 7, startRowIndex: 1 }, sortSpecs: [{ dimensionIndex: 1, sortOrder: 'DESCENDING' }] } }] },
    });
    expect(sorted.status).toBe(200);
    expect(s.workbook(id).values("'Leads list'!B2:B3").flat()).toEqual(['Globex', 'Acme']);
    const failed = await api.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: { requests: [{ appendDimension: { sheetId: 7, dimension: 'ROWS', length: 5 } }, { deleteDimension: { range: { sheetId: 7, dimension: 'ROWS', startIndex: 0, endIndex: 1005 } } }] },
    }).catch(statusOf);
    expect(failed).toMatchObject({ status: 400, data: { error: { message: "Invalid requests[1].deleteDimension: You can't delete all the rows on the sheet." } } });
    expect(s.workbook(id).tab(7).rowCount).toBe(1000);
    const unsupported = await api.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [{ addSheet: { properties: { title: 'x' } } }] } }).catch(statusOf);
    expect(unsupported).toMatchObject({ status: 400 });
  });

  it('answers 400 like Google when developer metadata would pass 30,000 characters on a sheet', async () => {
    const { s, api, id } = await setup();
    const create = (value: string) => ({
      createDeveloperMetadata: { developerMetadata: { metadataKey: 'k', metadataValue: value, visibility: 'DOCUMENT', location: { sheetId: 7 } } },
    });
    const refused = await api.spreadsheets
      .batchUpdate({ spreadsheetId: id, requestBody: { requests: [create('x'.repeat(20_000)), create('y'.repeat(10_000))] } })
      .catch(statusOf);
    expect(refused).toMatchObject({
      status: 400,
      data: { error: { status: 'INVALID_ARGUMENT', message: 'Invalid requests[1].createDeveloperMetadata: Developer metadata on sheet 7 would total 30002 characters, above the limit of 30000.' } },
    });
    expect(s.workbook(id).metadata.list()).toEqual([]);
  });

  it('searches, reads by and deletes developer metadata through data filters', async () => {
    const { s, api, id } = await setup();
    const workbook = s.workbook(id);
    const proof = workbook.createMetadata({ key: 'rowfill.proof', value: 'abc', visibility: 'DOCUMENT', location: { kind: 'spreadsheet' } });
    workbook.createMetadata({ key: 'rowfill.column', value: 'id', visibility: 'DOCUMENT', location: { kind: 'column', sheetId: 7, index: 1 } });
    const found = await api.spreadsheets.developerMetadata.search({
      spreadsheetId: id,
      requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: 'rowfill.proof', locationType: 'SPREADSHEET' } }] },
    });
    expect(found.data.matchedDeveloperMetadata?.map((m) => m.developerMetadata)).toEqual([
      { metadataId: proof.id, metadataKey: 'rowfill.proof', metadataValue: 'abc', location: { locationType: 'SPREADSHEET', spreadsheet: true }, visibility: 'DOCUMENT' },
    ]);
    const byRegion = await api.spreadsheets.developerMetadata.search({ spreadsheetId: id, requestBody: { dataFilters: [{ a1Range: "'Leads list'!B1:B2" }] } });
    expect(byRegion.data.matchedDeveloperMetadata?.map((m) => m.developerMetadata?.metadataValue)).toEqual(['id']);
    const none = await api.spreadsheets.developerMetadata.search({ spreadsheetId: id, requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: 'nope' } }] } });
    expect(none.data).toEqual({});
    const columns = await api.spreadsheets.values.batchGetByDataFilter({
      spreadsheetId: id,
      requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: 'rowfill.column', metadataValue: 'id' } }, { gridRange: { sheetId: 7, startColumnIndex: 0, endColumnIndex: 1 } }] },
    });
    expect(columns.data.valueRanges?.map((v) => v.valueRange)).toEqual([
      { range: "'Leads list'!B1:B1000", majorDimension: 'ROWS', values: [['Website'], ['acme.test'], ['globex.test']] },
      { range: "'Leads list'!A1:A1000", majorDimension: 'ROWS', values: [['Brand'], ['Acme'], ['Globex']] },
    ]);
    const deleted = await api.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: { requests: [{ deleteDeveloperMetadata: { dataFilter: { developerMetadataLookup: { metadataId: proof.id } } } }] },
    });
    expect(deleted.data.replies?.[0]?.deleteDeveloperMetadata?.deletedDeveloperMetadata?.map((m) => m.metadataId)).toEqual([proof.id]);
    const gone = await api.spreadsheets.developerMetadata.get({ spreadsheetId: id, metadataId: proof.id }).catch(statusOf);
    expect(gone).toMatchObject({ status: 404 });
  });

  it('answers 429 RESOURCE_EXHAUSTED past the per-user write quota, per user, until the minute has passed', async () => {
    let now = 1_000_000;
    const { s, api, id } = await setup({ writesPerMinute: 2, now: () => now });
    s.share(id, 'carol');
    const write = (client: sheets_v4.Sheets) =>
      client.spreadsheets.values.batchUpdate({ spreadsheetId: id, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Other!A1', values: [['x']] }] } });
    await write(api);
    await write(api);
    const limited = await write(api).catch(statusOf);
    expect(limited).toMatchObject({
      status: 429,
      data: { error: { code: 429, status: 'RESOURCE_EXHAUSTED', details: [{ reason: 'RATE_LIMIT_EXCEEDED', metadata: { quota_limit: 'WriteRequestsPerMinutePerUser' } }] } },
    });
    // Another user has a quota of their own, and reads are not counted by default.
    await write(standInSheetsClient({ url: s.url, token: 'carol' }));
    await api.spreadsheets.get({ spreadsheetId: id });
    now += 60_001;
    await write(api);
    expect(s.writeLog.map((e) => [e.user, e.status])).toEqual([
      ['alice', 200],
      ['alice', 200],
      ['alice', 429],
      ['carol', 200],
      ['alice', 200],
    ]);
    expect(s.requestLog.at(-2)).toMatchObject({ method: 'GET', path: `/v4/spreadsheets/${id}`, user: 'alice', kind: 'read', status: 200 });
    expect(() => s.configure({ writesPerMinute: 0 })).toThrow('SheetsStandIn: writesPerMinute must be a positive integer or null, got 0');
    s.configure({ writesPerMinute: null });
    for (let i = 0; i < 5; i++) await write(api);
  });

  it('saves every spreadsheet to a file and loads it back, on request or at start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sheets-standin-'));
    try {
      const { s, id } = await setup();
      s.workbook(id).createMetadata({ key: 'k', value: 'v', visibility: 'DOCUMENT', location: { kind: 'row', sheetId: 7, index: 1 } });
      const file = join(dir, 'state.json');
      await s.save(file);
      const values = s.workbook(id).values("'Leads list'!A1:B3");
      s.workbook(id).setValues("'Leads list'!A1", [['changed']]);
      await s.load(file);
      expect(s.workbook(id).values("'Leads list'!A1:B3")).toEqual(values);
      await s.close();
      standIn = await startSheetsStandIn({ stateFile: file });
      const api = standInSheetsClient({ url: standIn.url, token: 'alice' });
      const { data } = await api.spreadsheets.values.get({ spreadsheetId: id, range: "'Leads list'!A2" });
      expect(data.values).toEqual([['Acme']]);
      expect(standIn.workbook(id).metadata.list()).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad port or setting before listening', async () => {
    await expect(startSheetsStandIn({ port: 70_000 })).rejects.toThrow('SheetsStandIn: port must be an integer from 0 to 65535, got 70000');
    await expect(startSheetsStandIn({ readsPerMinute: 1.5 })).rejects.toThrow('SheetsStandIn: readsPerMinute must be a positive integer or null, got 1.5');
  });
});
