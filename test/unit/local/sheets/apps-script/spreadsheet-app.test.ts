// SpreadsheetApp over the stand-in's workbook: tabs, ranges, values, the selection, hidden rows, and developer metadata the REST face sees.
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppsScriptContext, type AppsScriptContext } from '../../../../../local/sheets/apps-script/index.js';
import { standInSheetsClient, startSheetsStandIn, type SheetsStandIn, type Workbook } from '../../../../../local/sheets/index.js';

let standIn: SheetsStandIn;
const contexts: AppsScriptContext[] = [];

beforeAll(async () => {
  standIn = await startSheetsStandIn();
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await standIn.close();
});

function setup(selection: readonly string[] = [], activeSheetId?: number): { workbook: Workbook; gas: AppsScriptContext; run: (code: string) => unknown } {
  const workbook = standIn.createSpreadsheet({
    title: 'Leads',
    tabs: [{ title: 'Leads list', sheetId: 7, rows: [['Brand', 'Website', 'Score'], ['Acme', 'acme.test', 3], ['Globex', 'globex.test', true], ['Initech', '', { formula: '=1+1' }]] }, 'Other'],
    sharedWith: ['alice'],
  });
  const gas = createAppsScriptContext({ workbook, selection, ...(activeSheetId !== undefined ? { activeSheetId } : {}) });
  contexts.push(gas);
  return { workbook, gas, run: (code) => vm.runInContext(`{ ${code} }`, gas.context) as unknown };
}

describe('SpreadsheetApp (Apps Script face)', () => {
  it('exposes the bound spreadsheet, its tabs and the active tab', () => {
    const { workbook, run } = setup();
    expect(run('const ss = SpreadsheetApp.getActiveSpreadsheet(); [ss.getId(), ss.getName(), ss.getSheets().map((s) => [s.getSheetId(), s.getName(), s.getIndex()])]')).toEqual([
      workbook.id,
      'Leads',
      [
        [7, 'Leads list', 1],
        [8, 'Other', 2],
      ],
    ]);
    expect(run('const s = SpreadsheetApp.getActiveSheet(); [s.getSheetId(), s.getLastRow(), s.getLastColumn(), s.getMaxRows(), s.getMaxColumns()]')).toEqual([7, 4, 3, 1000, 26]);
    expect(run('[SpreadsheetApp.getActive().getSheetByName("Other").getSheetId(), SpreadsheetApp.getActive().getSheetById(99)]')).toEqual([8, null]);
  });

  it('reads values and display values, and writes values as typed input', () => {
    const { workbook, run } = setup();
    expect(run('SpreadsheetApp.getActiveSheet().getRange(1, 1, 4, 3).getValues()')).toEqual([
      ['Brand', 'Website', 'Score'],
      ['Acme', 'acme.test', 3],
      ['Globex', 'globex.test', true],
      ['Initech', '', '=1+1'],
    ]);
    expect(run('SpreadsheetApp.getActiveSheet().getRange("B3:C3").getDisplayValues()')).toEqual([['globex.test', 'TRUE']]);
    run('SpreadsheetApp.getActiveSheet().getRange("D1:E2").setValues([["Notes", "12"], ["=A2", null]])');
    expect(workbook.values("'Leads list'!D1:E2")).toEqual([
      ['Notes', 12],
      [{ formula: '=A2' }, undefined],
    ]);
    expect(() => run('SpreadsheetApp.getActiveSheet().getRange("A1:B1").setValues([["x"]])')).toThrow(/number of columns in the data does not match/);
    expect(() => run('SpreadsheetApp.getActiveSheet().getRange(0, 1)')).toThrow('The starting row of the range is too small.');
    expect(run('SpreadsheetApp.getActiveSheet().getRange(2, 1, 3, 2).getA1Notation()')).toBe('A2:B4');
  });

  it("returns the user's selection as a RangeList on the active tab, null when nothing is selected", () => {
    const { gas, run } = setup(['2:3', 'B5', "'Leads list'!A7:C9"]);
    expect(run('SpreadsheetApp.getActiveSpreadsheet().getActiveRangeList().getRanges().map((r) => [r.getRow(), r.getLastRow(), r.getColumn(), r.getNumColumns()])')).toEqual([
      [2, 3, 1, 26],
      [5, 5, 2, 1],
      [7, 9, 1, 3],
    ]);
    expect(run('SpreadsheetApp.getActiveRange().getA1Notation()')).toBe('A7:C9');
    expect(run('SpreadsheetApp.getActive().getSheetByName("Other").getActiveRangeList()')).toBeNull();
    gas.select([]);
    expect(run('SpreadsheetApp.getActiveSpreadsheet().getActiveRangeList()')).toBeNull();
    gas.select(['A1'], 8);
    expect(run('SpreadsheetApp.getActiveSheet().getName()')).toBe('Other');
  });

  it('knows rows the user hid; the stand-in has no filters', () => {
    const { workbook, run } = setup();
    workbook.setHidden(7, 'ROWS', 2, 3, true);
    expect(run('const s = SpreadsheetApp.getActiveSheet(); [2, 3, 4].map((r) => s.isRowHiddenByUser(r))')).toEqual([false, true, false]);
    expect(run('const s = SpreadsheetApp.getActiveSheet(); [s.isRowHiddenByFilter(3), s.getFilter()]')).toEqual([false, null]);
  });

  it('writes document-level developer metadata that the REST face finds, and removes it', async () => {
    const { workbook, run } = setup();
    run('SpreadsheetApp.getActiveSpreadsheet().addDeveloperMetadata("rowfill.proof", "abc123", SpreadsheetApp.DeveloperMetadataVisibility.DOCUMENT)');
    run('SpreadsheetApp.getActiveSpreadsheet().addDeveloperMetadata("private.key", SpreadsheetApp.DeveloperMetadataVisibility.PROJECT)');
    run('SpreadsheetApp.getActiveSheet().addDeveloperMetadata("tab.key", "t")');
    const api = standInSheetsClient({ url: standIn.url, token: 'alice' });
    const { data } = await api.spreadsheets.developerMetadata.search({
      spreadsheetId: workbook.id,
      requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: 'rowfill.proof', locationType: 'SPREADSHEET' } }] },
    });
    expect(data.matchedDeveloperMetadata?.map((m) => [m.developerMetadata?.metadataValue, m.developerMetadata?.visibility])).toEqual([['abc123', 'DOCUMENT']]);
    const listed = run('SpreadsheetApp.getActiveSpreadsheet().getDeveloperMetadata().map((m) => [m.getKey(), m.getValue(), String(m.getVisibility()), String(m.getLocation().getLocationType())])') as string[][];
    expect([...listed].sort()).toEqual([
      ['private.key', null, 'PROJECT', 'SPREADSHEET'],
      ['rowfill.proof', 'abc123', 'DOCUMENT', 'SPREADSHEET'],
    ]);
    run('SpreadsheetApp.getActiveSpreadsheet().getDeveloperMetadata().forEach((m) => m.remove())');
    expect(workbook.metadata.list().map((m) => m.key)).toEqual(['tab.key']);
  });

  it('refuses to open other spreadsheets, as spreadsheets.currentonly does', () => {
    const { run } = setup();
    expect(() => run('SpreadsheetApp.openById("x")')).toThrow(/You do not have permission to call SpreadsheetApp.openById/);
  });
});
