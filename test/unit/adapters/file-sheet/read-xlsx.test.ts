import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTable } from '../../../../backend/src/adapters/file-sheet/index.js';
import { allRows, expectFileSheetError, scratch } from './helpers.js';
import { writeBrandsWorkbook, writeRowsWorkbook } from './xlsx-fixtures.js';

describe('openTable on XLSX', () => {
  it('reads the first worksheet and shows each cell as a spreadsheet displays it', async () => {
    const path = join(await scratch(), 'brands.xlsx');
    await writeBrandsWorkbook(path);
    const table = await openTable(path);
    expect(table.format).toBe('xlsx');
    expect(table.sheetName).toBe('Brands');
    expect(table.headerRowNumber).toBe(1);
    expect(table.headers).toEqual(['Brand', 'Website', 'Founded', 'Revenue', 'Public', 'Label', 'Double']);
    expect(await allRows(table)).toEqual([
      // rich text joined, a link as its text, a date as an ISO date, 15 significant digits, formulas as their results
      { rowNumber: 2, values: ['Lego', 'lego.com', '1932-08-10', '0.3', 'FALSE', 'Lego!', '0.6'] },
      { rowNumber: 3, values: ['Nike', '=not a formula', '1964-01-25T14:30:00', '51200000000', 'TRUE', '#N/A', ''] },
    ]);
  });

  it('opens another worksheet by name, ignoring case', async () => {
    const path = join(await scratch(), 'brands.xlsx');
    await writeBrandsWorkbook(path);
    const table = await openTable(path, { sheetName: 'notes' });
    expect(table.sheetName).toBe('Notes');
    expect(table.headers).toEqual(['Topic', 'Text']);
    expect(await allRows(table)).toEqual([{ rowNumber: 2, values: ['why', 'second sheet'] }]);
  });

  it('lists the sheets when the named one does not exist', async () => {
    const path = join(await scratch(), 'brands.xlsx');
    await writeBrandsWorkbook(path);
    await expectFileSheetError(openTable(path, { sheetName: 'Data' }), 'unknown_sheet', 'Sheet "Data" not found in brands.xlsx. Sheets: Brands, Notes');
  });

  it('takes the first row holding a value as the header and reports real sheet row numbers', async () => {
    const path = join(await scratch(), 'offset.xlsx');
    await writeRowsWorkbook(path, [['Brand', 'Country'], ['Lego', 'Denmark'], null, [null, null], ['IKEA', 'Sweden']], 3);
    const table = await openTable(path);
    expect(table.headerRowNumber).toBe(3);
    expect(await allRows(table)).toEqual([
      { rowNumber: 4, values: ['Lego', 'Denmark'] },
      { rowNumber: 7, values: ['IKEA', 'Sweden'] },
    ]);
  });

  it('rejects duplicate and empty header cells, naming the sheet', async () => {
    const folder = await scratch();
    await writeRowsWorkbook(join(folder, 'dup.xlsx'), [['Brand', 'Brand'], ['a', 'b']]);
    await writeRowsWorkbook(join(folder, 'gap.xlsx'), [['Brand', null, 'Country'], ['a', 'b', 'c']]);
    await expectFileSheetError(
      openTable(join(folder, 'dup.xlsx')),
      'duplicate_header',
      'Column "Brand" appears twice in the header of dup.xlsx (sheet "Data") (columns 1 and 2); rename one of them',
    );
    await expectFileSheetError(openTable(join(folder, 'gap.xlsx')), 'empty_header', /^Column 2 in the header of gap\.xlsx \(sheet "Data"\) has no name/);
  });

  it('reports a file that is not a zip as unreadable', async () => {
    const path = join(await scratch(), 'fake.xlsx');
    await writeFile(path, 'Brand,Website\nNike,nike.com\n'.repeat(50));
    await expectFileSheetError(openTable(path), 'unreadable', /^Could not read fake\.xlsx as an Excel workbook: /);
  });

  it('reports a truncated workbook as unreadable', async () => {
    const folder = await scratch();
    await writeBrandsWorkbook(join(folder, 'whole.xlsx'));
    const bytes = await readFile(join(folder, 'whole.xlsx'));
    await writeFile(join(folder, 'cut.xlsx'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectFileSheetError(openTable(join(folder, 'cut.xlsx')), 'unreadable', /^Could not read cut\.xlsx as an Excel workbook: /);
  });

  it('reports an empty .xlsx file as unreadable', async () => {
    const path = join(await scratch(), 'zero.xlsx');
    await writeFile(path, '');
    await expectFileSheetError(openTable(path), 'unreadable');
  });

  it('reports a missing workbook as file_not_found', async () => {
    const path = join(await scratch(), 'gone.xlsx');
    await expectFileSheetError(openTable(path), 'file_not_found', `File not found: ${path}`);
  });
});
