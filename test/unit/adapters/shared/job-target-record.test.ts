// A job's target as the stores keep it: the same key and string map every version wrote, read back typed.
import { describe, expect, it } from 'vitest';
import { targetOfRecord, targetRecord } from '../../../../backend/src/adapters/shared/job-target-record.js';
import { targetKey, type JobTarget } from '../../../../backend/src/ports/domain.js';

describe('job target record', () => {
  it('round-trips both kinds, every field included', () => {
    const targets: JobTarget[] = [
      { kind: 'sheet', spreadsheetId: '1AbC-d_e', sheetId: 1234, spreadsheetTitle: 'Leads', sheetTitle: 'Q3 / EU' },
      { kind: 'sheet', spreadsheetId: 'x', sheetId: 0 },
      { kind: 'file', source: '/data/in#1.xlsx', out: '/data/out.xlsx', sheet: 'Brands', rows: '2-9,12', limit: 5, search: 'simulated', replace: ['Website', 'Founded'] },
      { kind: 'file', source: '/data/in.csv', out: '/data/in.enriched.csv' },
    ];
    for (const target of targets) expect(targetOfRecord(targetRecord(target))).toEqual(target);
  });

  it('keeps the keys stored before targets were typed', () => {
    expect(targetKey({ kind: 'sheet', spreadsheetId: 'abc', sheetId: 7, sheetTitle: 'renamed' })).toBe('sheets:abc/7');
    expect(targetKey({ kind: 'file', source: '/d/in.xlsx', out: '/d/o.xlsx', sheet: 'S' })).toBe('file:/d/in.xlsx#S');
    expect(targetKey({ kind: 'file', source: '/d/in.csv', out: '/d/o.csv', limit: 3 })).toBe('file:/d/in.csv');
    // The string map is the one the previous version wrote for a file job (limit and replace as strings).
    const record = targetRecord({ kind: 'file', source: '/d/in.csv', out: '/d/o.csv', limit: 3, replace: ['A'] });
    expect(record).toEqual({ sheetKey: 'file:/d/in.csv', meta: JSON.stringify({ source: '/d/in.csv', out: '/d/o.csv', limit: '3', replace: '["A"]' }) });
  });

  it("reads a previous version's records, and refuses a key no version wrote", () => {
    expect(targetOfRecord({ sheetKey: 'sheets:abc/0', meta: JSON.stringify({ spreadsheetId: 'abc', sheetId: '0', spreadsheetTitle: 'T', sheetTitle: 'Sheet1' }) })).toEqual({
      kind: 'sheet', spreadsheetId: 'abc', sheetId: 0, spreadsheetTitle: 'T', sheetTitle: 'Sheet1',
    });
    expect(targetOfRecord({ sheetKey: 'file:/d/in.csv', meta: JSON.stringify({ source: '/d/in.csv', out: '/d/o.csv', rows: '2-4', limit: '10', search: 'tavily' }) })).toEqual({
      kind: 'file', source: '/d/in.csv', out: '/d/o.csv', rows: '2-4', limit: 10, search: 'tavily',
    });
    expect(() => targetOfRecord({ sheetKey: 'test:x', meta: '{}' })).toThrow('Unknown job target "test:x": expected file:… or sheets:…');
  });
});
