import { describe, expect, it } from 'vitest';
import { parseRowSelection } from '../../../backend/src/cli/row-selection.js';

describe('parseRowSelection', () => {
  it('selects ranges and single rows', () => {
    const s = parseRowSelection('2-4,70');
    expect([1, 2, 3, 4, 5, 70, 71].map((n) => s.has(n))).toEqual([false, true, true, true, false, true, false]);
  });

  it('accepts an open-ended range', () => {
    expect(parseRowSelection('10-').has(1_000_000)).toBe(true);
  });

  it.each([
    ['1-5', 'row 1 is the header'],
    ['5-2', 'ends before it starts'],
    ['a-b', '"a-b" is not a row number'],
    ['', 'is not a row number'],
  ])('rejects %s', (text, message) => {
    expect(() => parseRowSelection(text)).toThrow(message);
  });
});
