// A1 notation: the forms users and the adapter send, and the ranges Google writes back.
import { describe, expect, it } from 'vitest';
import { columnIndex, columnLetters, formatA1, parseA1, quoteSheetTitle } from '../../../../local/sheets/a1.js';

describe('A1 notation', () => {
  it('converts column letters both ways', () => {
    expect(columnIndex('A')).toBe(0);
    expect(columnIndex('z')).toBe(25);
    expect(columnIndex('AA')).toBe(26);
    expect(columnIndex('ZZZ')).toBe(18_277);
    for (const i of [0, 25, 26, 701, 702, 18_277]) expect(columnIndex(columnLetters(i))).toBe(i);
    expect(() => columnIndex('AAAA')).toThrow('Not a column');
  });

  it('parses closed, open, whole-row and whole-column ranges', () => {
    expect(parseA1("'Tab name'!A2:D50")).toEqual({ sheetTitle: 'Tab name', startRow: 1, endRow: 50, startColumn: 0, endColumn: 4 });
    expect(parseA1('A:A')).toEqual({ sheetTitle: undefined, startRow: undefined, endRow: undefined, startColumn: 0, endColumn: 1 });
    expect(parseA1('2:5')).toEqual({ sheetTitle: undefined, startRow: 1, endRow: 5, startColumn: undefined, endColumn: undefined });
    expect(parseA1('Sheet1!A2:D')).toEqual({ sheetTitle: 'Sheet1', startRow: 1, endRow: undefined, startColumn: 0, endColumn: 4 });
    expect(parseA1('B12')).toEqual({ sheetTitle: undefined, startRow: 11, endRow: 12, startColumn: 1, endColumn: 2 });
    expect(parseA1('$B$2:$C$3')).toMatchObject({ startRow: 1, endRow: 3, startColumn: 1, endColumn: 3 });
    expect(parseA1('D50:A2')).toMatchObject({ startRow: 1, endRow: 50, startColumn: 0, endColumn: 4 });
  });

  it('reads quoted titles with doubled quotes and bare tab names', () => {
    expect(parseA1("'It''s here'!B1")).toMatchObject({ sheetTitle: "It's here", startRow: 0, startColumn: 1 });
    expect(parseA1("'Q1/Q2'")).toEqual({ sheetTitle: 'Q1/Q2' });
    expect(parseA1('Sheet2')).toEqual({ sheetTitle: 'Sheet2' });
  });

  it('refuses what is not a range, in Google words', () => {
    expect(() => parseA1('')).toThrow('Unable to parse range: ');
    expect(() => parseA1("'Unclosed!A1")).toThrow("Unable to parse range: 'Unclosed!A1");
    expect(() => parseA1('Sheet1!A0')).toThrow('Unable to parse range: Sheet1!A0');
    expect(() => parseA1('Sheet1!A1:B2:C3')).toThrow('Unable to parse range');
  });

  it('formats ranges the way Google answers them', () => {
    expect(formatA1('Sheet1', 1, 50, 0, 4)).toBe('Sheet1!A2:D50');
    expect(formatA1('My tab', 11, 12, 1, 2)).toBe("'My tab'!B12");
    expect(quoteSheetTitle('A1')).toBe("'A1'");
    expect(quoteSheetTitle("It's")).toBe("'It''s'");
  });
});
