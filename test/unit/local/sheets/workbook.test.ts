// The workbook model: cells and developer metadata move with inserts, deletes and sorts as in Google Sheets; limits hold.
import { describe, expect, it } from 'vitest';
import { SheetsApiError } from '../../../../local/sheets/api-error.js';
import type { MetadataLocation } from '../../../../local/sheets/developer-metadata.js';
import { Workbooks } from '../../../../local/sheets/workbooks.js';

function brands() {
  const workbook = new Workbooks().create({
    id: 'wb',
    title: 'Brands',
    rows: [
      ['Brand', 'Country', 'id'],
      ['Zeta', 'FR', 'z1'],
      ['Alpha', 'DE', 'a1'],
      ['Mid', 'US', 'm1'],
    ],
  });
  const meta = (location: MetadataLocation, key = 'k') => workbook.createMetadata({ key, value: 'v', visibility: 'DOCUMENT', location });
  return { workbook, meta };
}

describe('Workbook', () => {
  it('shifts cells and row metadata down when rows are inserted above them', () => {
    const { workbook, meta } = brands();
    const row = meta({ kind: 'row', sheetId: 0, index: 2 });
    const column = meta({ kind: 'column', sheetId: 0, index: 2 });
    workbook.insertDimension(0, 'ROWS', 1, 3);
    expect(workbook.values('A1:C6')).toEqual([['Brand', 'Country', 'id'], [undefined, undefined, undefined], [undefined, undefined, undefined], ['Zeta', 'FR', 'z1'], ['Alpha', 'DE', 'a1'], ['Mid', 'US', 'm1']]);
    expect(workbook.metadata.get(row.id)?.location).toEqual({ kind: 'row', sheetId: 0, index: 4 });
    expect(workbook.metadata.get(column.id)?.location).toEqual({ kind: 'column', sheetId: 0, index: 2 });
    expect(workbook.tab(0).rowCount).toBe(1002);
  });

  it('moves columns and their metadata right on a column insert, and keeps hidden columns hidden', () => {
    const { workbook, meta } = brands();
    const column = meta({ kind: 'column', sheetId: 0, index: 2 });
    workbook.setHidden(0, 'COLUMNS', 2, 3, true);
    workbook.insertDimension(0, 'COLUMNS', 0, 1);
    expect(workbook.cell('D2')).toBe('z1');
    expect(workbook.metadata.get(column.id)?.location).toEqual({ kind: 'column', sheetId: 0, index: 3 });
    expect([...workbook.tab(0).hiddenColumns]).toEqual([3]);
    expect(workbook.tab(0).columnCount).toBe(27);
  });

  it('deletes a row with its metadata and pulls later rows up', () => {
    const { workbook, meta } = brands();
    const onDeleted = meta({ kind: 'row', sheetId: 0, index: 2 });
    const below = meta({ kind: 'row', sheetId: 0, index: 3 });
    workbook.deleteDimension(0, 'ROWS', 2, 3);
    expect(workbook.values('A2:C3')).toEqual([['Zeta', 'FR', 'z1'], ['Mid', 'US', 'm1']]);
    expect(workbook.metadata.get(onDeleted.id)).toBeUndefined();
    expect(workbook.metadata.get(below.id)?.location).toEqual({ kind: 'row', sheetId: 0, index: 2 });
  });

  it('deletes a column with its metadata', () => {
    const { workbook, meta } = brands();
    const tagged = meta({ kind: 'column', sheetId: 0, index: 1 });
    const after = meta({ kind: 'column', sheetId: 0, index: 2 });
    workbook.deleteDimension(0, 'COLUMNS', 1, 2);
    expect(workbook.values('A1:B1')).toEqual([['Brand', 'id']]);
    expect(workbook.metadata.get(tagged.id)).toBeUndefined();
    expect(workbook.metadata.get(after.id)?.location).toEqual({ kind: 'column', sheetId: 0, index: 1 });
  });

  it('sorts rows with their cells and row metadata; blanks sink; column metadata stays', () => {
    const { workbook, meta } = brands();
    const zeta = meta({ kind: 'row', sheetId: 0, index: 1 });
    const column = meta({ kind: 'column', sheetId: 0, index: 0 });
    workbook.sortRange(0, { startRow: 1 }, [{ column: 0, descending: false }]);
    expect(workbook.values('A2:C5')).toEqual([['Alpha', 'DE', 'a1'], ['Mid', 'US', 'm1'], ['Zeta', 'FR', 'z1'], [undefined, undefined, undefined]]);
    expect(workbook.metadata.get(zeta.id)?.location).toEqual({ kind: 'row', sheetId: 0, index: 3 });
    expect(workbook.metadata.get(column.id)?.location).toEqual({ kind: 'column', sheetId: 0, index: 0 });
    workbook.sortRange(0, { startRow: 1 }, [{ column: 1, descending: true }]);
    expect(workbook.values('B2:B4').flat()).toEqual(['US', 'FR', 'DE']);
    expect(workbook.metadata.get(zeta.id)?.location).toEqual({ kind: 'row', sheetId: 0, index: 2 });
  });

  it('sorts only the range columns when the range is narrower than the sheet, leaving row metadata put', () => {
    const { workbook, meta } = brands();
    const zeta = meta({ kind: 'row', sheetId: 0, index: 1 });
    workbook.sortRange(0, { startRow: 1, endRow: 4, startColumn: 0, endColumn: 2 }, [{ column: 0, descending: false }]);
    expect(workbook.values('A2:C4')).toEqual([['Alpha', 'DE', 'z1'], ['Mid', 'US', 'a1'], ['Zeta', 'FR', 'm1']]);
    expect(workbook.metadata.get(zeta.id)?.location).toEqual({ kind: 'row', sheetId: 0, index: 1 });
  });

  it('orders numbers before text before booleans when sorting', () => {
    const workbook = new Workbooks().create({ title: 't', rows: [[true], ['b'], [3], ['A'], [1]] });
    workbook.sortRange(0, {}, [{ column: 0, descending: false }]);
    expect(workbook.values('A1:A5').flat()).toEqual([1, 3, 'A', 'b', true]);
  });

  it('caps developer metadata at 30,000 characters per sheet and per spreadsheet, counting keys and values', () => {
    const { workbook } = brands();
    const big = 'x'.repeat(14_999);
    workbook.createMetadata({ key: 'a', value: big, visibility: 'DOCUMENT', location: { kind: 'column', sheetId: 0, index: 0 } });
    workbook.createMetadata({ key: 'b', value: big, visibility: 'DOCUMENT', location: { kind: 'sheet', sheetId: 0 } });
    expect(() => workbook.createMetadata({ key: 'c', visibility: 'DOCUMENT', location: { kind: 'row', sheetId: 0, index: 5 } })).toThrow(
      'Developer metadata on sheet 0 would total 30001 characters, above the limit of 30000.',
    );
    // Document-level metadata counts toward the spreadsheet, not the sheet.
    workbook.createMetadata({ key: 'd', value: big, visibility: 'DOCUMENT', location: { kind: 'spreadsheet' } });
    try {
      workbook.createMetadata({ key: 'e', value: `${big}x`, visibility: 'DOCUMENT', location: { kind: 'spreadsheet' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SheetsApiError);
      expect(error).toMatchObject({ httpStatus: 400, status: 'INVALID_ARGUMENT' });
    }
    // Deleting the rows that carried metadata frees room again.
    workbook.deleteDimension(0, 'COLUMNS', 0, 1);
    workbook.createMetadata({ key: 'c', visibility: 'DOCUMENT', location: { kind: 'row', sheetId: 0, index: 5 } });
  });

  it('refuses edits outside the grid, deleting every row, and metadata on a missing row', () => {
    const { workbook } = brands();
    expect(() => workbook.deleteDimension(0, 'ROWS', 0, 1000)).toThrow("You can't delete all the rows on the sheet.");
    expect(() => workbook.insertDimension(0, 'ROWS', 1001, 1002)).toThrow('Invalid dimension range [1001, 1002): the sheet has 1000 rows.');
    expect(() => workbook.createMetadata({ key: 'k', visibility: 'DOCUMENT', location: { kind: 'row', sheetId: 0, index: 1000 } })).toThrow(
      'The row 1000 is outside the grid of sheet 0.',
    );
    expect(() => workbook.resolve('A1:A1001')).toThrow("Range (Sheet1!A1:A1001) exceeds grid limits. Max rows: 1000, max columns: 26");
  });

  it('round-trips through its plain state, formulas included', () => {
    const { workbook, meta } = brands();
    meta({ kind: 'column', sheetId: 0, index: 2 }, 'rowfill.column');
    workbook.setValues('D2', [[{ formula: '=A2' }]]);
    const copy = new Workbooks();
    copy.replace({ version: 1, spreadsheets: [JSON.parse(JSON.stringify(workbook.toState())) as ReturnType<typeof workbook.toState>] });
    const back = copy.get('wb')!;
    expect(back.values('A1:D4')).toEqual(workbook.values('A1:D4'));
    expect(back.cell('D2')).toEqual({ formula: '=A2' });
    expect(back.metadata.list()).toEqual(workbook.metadata.list());
  });
});
