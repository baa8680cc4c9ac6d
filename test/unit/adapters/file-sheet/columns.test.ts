import { describe, expect, it } from 'vitest';
import { resolveColumns } from '../../../../backend/src/adapters/file-sheet/index.js';
import { expectFileSheetError } from './helpers.js';

const headers = ['Brand', 'Website', 'Country'];

describe('resolveColumns', () => {
  it('returns the index of each named column in the order asked', () => {
    expect(resolveColumns(headers, ['Website', 'Brand'], 'brands.csv')).toEqual([1, 0]);
  });

  it('accepts a name that differs only in case or surrounding spaces', () => {
    expect(resolveColumns(headers, ['website', ' COUNTRY '], 'brands.csv')).toEqual([1, 2]);
  });

  it('prefers an exact match over a case-insensitive one', () => {
    expect(resolveColumns(['name', 'Name'], ['Name'], 'x.csv')).toEqual([1]);
  });

  it('names the missing column, the file and every available column', async () => {
    await expectFileSheetError(
      Promise.resolve().then(() => resolveColumns(headers, ['Webiste'], 'brands.csv')),
      'unknown_column',
      'Column "Webiste" not found in brands.csv. Columns: Brand, Website, Country',
    );
  });

  it('refuses a case-insensitive name that matches two columns', async () => {
    await expectFileSheetError(Promise.resolve().then(() => resolveColumns(['name', 'Name'], ['NAME'], 'x.csv')), 'unknown_column');
  });
});
