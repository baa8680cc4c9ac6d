// Selections as job rows: spans merged and clipped, hidden rows cut out, written as whole-row A1.
import { describe, expect, it } from 'vitest';
import { clipSpans, countRows, mergeSpans, removeRows, spanA1 } from '../../../addon/src/row-spans.js';

describe('row spans', () => {
  it('merges overlapping, touching and repeated spans in any order', () => {
    expect(mergeSpans([{ first: 20, last: 25 }, { first: 2, last: 5 }, { first: 4, last: 9 }, { first: 10, last: 10 }, { first: 3, last: 3 }])).toEqual([
      { first: 2, last: 10 },
      { first: 20, last: 25 },
    ]);
    expect(mergeSpans([])).toEqual([]);
  });

  it('clips to the rows below the header and above the last row with data', () => {
    expect(clipSpans([{ first: 1, last: 1 }, { first: 1, last: 4 }, { first: 8, last: 900 }], { first: 2, last: 40 })).toEqual([
      { first: 2, last: 4 },
      { first: 8, last: 40 },
    ]);
  });

  it('cuts out dropped rows, splitting spans and counting what it removed', () => {
    const hidden = new Set([3, 4, 9, 12]);
    expect(removeRows([{ first: 2, last: 10 }, { first: 12, last: 12 }], (r) => hidden.has(r))).toEqual({
      spans: [
        { first: 2, last: 2 },
        { first: 5, last: 8 },
        { first: 10, last: 10 },
      ],
      removed: 4,
    });
  });

  it('counts rows and writes whole-row ranges', () => {
    const spans = [{ first: 2, last: 21 }, { first: 30, last: 30 }];
    expect(countRows(spans)).toBe(21);
    expect(spans.map(spanA1)).toEqual(['2:21', '30:30']);
  });
});
