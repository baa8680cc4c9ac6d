import { describe, expect, it } from 'vitest';
import { defaultOutPath } from '../../../../backend/src/adapters/file-sheet/index.js';

describe('defaultOutPath', () => {
  it('puts ".enriched" before the extension, in the same folder', () => {
    expect(defaultOutPath('data/brands.csv')).toBe('data/brands.enriched.csv');
    expect(defaultOutPath('/tmp/Q3 sales.xlsx')).toBe('/tmp/Q3 sales.enriched.xlsx');
  });

  it('keeps a relative prefix and handles names with several dots or none', () => {
    expect(defaultOutPath('./brands.v2.tsv')).toBe('./brands.v2.enriched.tsv');
    expect(defaultOutPath('brands')).toBe('brands.enriched');
  });
});
