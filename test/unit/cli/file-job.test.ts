import { describe, expect, it } from 'vitest';
import { neutralizeFormula } from '../../../backend/src/cli/file-job.js';

describe('neutralizeFormula', () => {
  it('defuses model text that a spreadsheet app would run as a formula', () => {
    expect(neutralizeFormula('=HYPERLINK("http://evil","x")')).toBe('\'=HYPERLINK("http://evil","x")');
    expect(neutralizeFormula('+1')).toBe("'+1");
    expect(neutralizeFormula('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('leaves ordinary text, numbers and empty cells alone', () => {
    expect(neutralizeFormula('Apparel')).toBe('Apparel');
    expect(neutralizeFormula(-3)).toBe(-3);
    expect(neutralizeFormula(null)).toBeNull();
  });
});
