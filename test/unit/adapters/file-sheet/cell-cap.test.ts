import { describe, expect, it } from 'vitest';
import { capCell, CELL_CHAR_LIMIT, CUT_MARKER } from '../../../../backend/src/adapters/file-sheet/index.js';

describe('capCell', () => {
  it('leaves text at or under the 50,000-character limit untouched', () => {
    const text = 'x'.repeat(CELL_CHAR_LIMIT);
    expect(CELL_CHAR_LIMIT).toBe(50_000);
    expect(capCell(text)).toBe(text);
  });

  it('cuts longer text to exactly the limit and marks the cut', () => {
    const capped = capCell('y'.repeat(60_000));
    expect(capped).toHaveLength(50_000);
    expect(capped.endsWith(CUT_MARKER)).toBe(true);
    expect(capped.startsWith('y'.repeat(1000))).toBe(true);
  });

  it('honours a smaller limit', () => {
    expect(capCell('abcdefghijklmnop', 10)).toBe(`abcd${CUT_MARKER}`);
  });

  it('never splits an emoji in half at the cut', () => {
    const capped = capCell(`abc😀${'z'.repeat(20)}`, 10);
    expect(capped).toBe(`abc${CUT_MARKER}`);
    expect(capped).not.toMatch(/[\uD800-\uDFFF]/);
  });

  it('rejects a limit too small to hold the marker', () => {
    expect(() => capCell('abc', 3)).toThrow(new RangeError('limit must be an integer above 6, got 3'));
  });
});
