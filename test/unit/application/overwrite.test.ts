// What the sidebar says when outputs would replace what the user typed.
import { describe, expect, it } from 'vitest';
import { OverwriteError, overwriteMessage } from '../../../backend/src/application/overwrite.js';

describe('overwrite refusal', () => {
  it('names every column in one sentence, with singular and plural cells', () => {
    expect(overwriteMessage([{ column: 'Website', filledCells: 370 }])).toBe('"Website" already has 370 filled cells in the selected rows; confirm to overwrite them.');
    expect(overwriteMessage([{ column: 'Website', filledCells: 1 }, { column: 'Founded', filledCells: 2 }])).toBe(
      '"Website" already has 1 filled cell, "Founded" has 2 filled cells in the selected rows; confirm to overwrite them.',
    );
  });

  it('carries the columns for the HTTP answer', () => {
    const error = new OverwriteError([{ column: 'Website', filledCells: 3 }]);
    expect(error).toMatchObject({ name: 'OverwriteError', overwrites: [{ column: 'Website', filledCells: 3 }] });
  });
});
