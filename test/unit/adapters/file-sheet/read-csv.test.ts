import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTable } from '../../../../backend/src/adapters/file-sheet/index.js';
import { allRows, expectFileSheetError, scratch } from './helpers.js';

describe('openTable on CSV', () => {
  it('reads a BOM, CRLF line endings, quoted delimiters, doubled quotes and embedded newlines', async () => {
    const path = join(await scratch(), 'brands.csv');
    await writeFile(path, '\uFEFFBrand,Website,Note\r\nNike,https://www.nike.com,"Just do it, ""now"""\r\nLego,https://www.lego.com,"line one\r\nline two"\r\n');
    const table = await openTable(path);
    expect(table.format).toBe('csv');
    expect(table.headers).toEqual(['Brand', 'Website', 'Note']);
    expect(await allRows(table)).toEqual([
      { rowNumber: 2, values: ['Nike', 'https://www.nike.com', 'Just do it, "now"'] },
      { rowNumber: 3, values: ['Lego', 'https://www.lego.com', 'line one\r\nline two'] },
    ]);
  });

  it('numbers rows as a spreadsheet does, counting blank lines it skips and records spanning several lines as one row', async () => {
    const path = join(await scratch(), 'rows.csv');
    await writeFile(path, 'A,B\n"x\ny",1\n\n,\nz,2');
    const rows = await allRows(await openTable(path));
    expect(rows.map((row) => row.rowNumber)).toEqual([2, 5]);
    expect(rows[1]!.values).toEqual(['z', '2']);
  });

  it('pads short rows with empty strings and keeps the extra cells of long rows', async () => {
    const path = join(await scratch(), 'ragged.csv');
    await writeFile(path, 'A,B,C\n1\n1,2,3,4\n');
    expect((await allRows(await openTable(path))).map((row) => row.values)).toEqual([
      ['1', '', ''],
      ['1', '2', '3', '4'],
    ]);
  });

  it('sniffs a semicolon delimiter in a .csv and uses a tab for .tsv', async () => {
    const folder = await scratch();
    await writeFile(join(folder, 'eu.csv'), 'Brand;Country\nIKEA;Sweden\n');
    await writeFile(join(folder, 'tabs.tsv'), 'Brand\tNote\nLego\ta,b;c\n');
    const eu = await openTable(join(folder, 'eu.csv'));
    expect(eu.headers).toEqual(['Brand', 'Country']);
    expect((await allRows(eu))[0]!.values).toEqual(['IKEA', 'Sweden']);
    expect((await allRows(await openTable(join(folder, 'tabs.tsv'))))[0]!.values).toEqual(['Lego', 'a,b;c']);
  });

  it('treats a quote inside an unquoted field as text', async () => {
    const path = join(await scratch(), 'inch.csv');
    await writeFile(path, 'Product,Size\nMonitor,27" wide\n');
    expect((await allRows(await openTable(path)))[0]!.values).toEqual(['Monitor', '27" wide']);
  });

  it('trims header names and ignores trailing empty header cells', async () => {
    const path = join(await scratch(), 'trailing.csv');
    await writeFile(path, ' Brand , Website,,\nNike,nike.com,,\n');
    expect((await openTable(path)).headers).toEqual(['Brand', 'Website']);
  });

  it('rejects a duplicate header naming both columns', async () => {
    const path = join(await scratch(), 'dup.csv');
    await writeFile(path, 'Brand,Website,Brand\nNike,nike.com,Nike\n');
    await expectFileSheetError(
      openTable(path),
      'duplicate_header',
      'Column "Brand" appears twice in the header of dup.csv (columns 1 and 3); rename one of them',
    );
  });

  it('rejects an empty header cell between named columns', async () => {
    const path = join(await scratch(), 'gap.csv');
    await writeFile(path, 'Brand,,Country\nNike,x,US\n');
    await expectFileSheetError(openTable(path), 'empty_header', 'Column 2 in the header of gap.csv has no name; name it or delete the column');
  });

  it('rejects an empty file as having no header row', async () => {
    const path = join(await scratch(), 'empty.csv');
    await writeFile(path, '');
    await expectFileSheetError(openTable(path), 'empty_header', 'empty.csv has no header row: the first row must hold the column names');
  });

  it('reports a missing file as file_not_found with its path', async () => {
    const path = join(await scratch(), 'nope.csv');
    await expectFileSheetError(openTable(path), 'file_not_found', `File not found: ${path}`);
  });

  it('reports a folder named like a CSV as unreadable', async () => {
    const path = join(await scratch(), 'folder.csv');
    await mkdir(path);
    await expectFileSheetError(openTable(path), 'unreadable', /it is a folder, not a file/);
  });

  it('refuses unknown extensions and points .xls users to .xlsx', async () => {
    await expectFileSheetError(openTable('data/brands.xls'), 'unsupported_format', /use a \.csv, \.tsv, \.txt or \.xlsx file \(save \.xls workbooks as \.xlsx first\)/);
    await expectFileSheetError(openTable('data/brands.json'), 'unsupported_format', /"\.json"/);
  });

  it('says so when a workbook was renamed to .csv', async () => {
    const path = join(await scratch(), 'renamed.csv');
    await writeFile(path, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]));
    await expectFileSheetError(openTable(path), 'unreadable', 'renamed.csv is an Excel workbook (zip), not text; rename it to .xlsx');
  });

  it('refuses UTF-16 text with a hint to save as UTF-8', async () => {
    const path = join(await scratch(), 'utf16.csv');
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('A,B\n', 'utf16le')]));
    await expectFileSheetError(openTable(path), 'unreadable', /UTF-16; save it as UTF-8/);
  });

  it('reports an unclosed quote as unreadable while streaming rows', async () => {
    const path = join(await scratch(), 'broken.csv');
    await writeFile(path, 'A,B\n1,"never closed\n2,3\n');
    const table = await openTable(path);
    await expectFileSheetError(allRows(table), 'unreadable', /^Could not read broken\.csv: /);
  });

  it('streams the rows afresh on every call', async () => {
    const path = join(await scratch(), 'twice.csv');
    await writeFile(path, 'A\n1\n2\n');
    const table = await openTable(path);
    expect((await allRows(table)).length).toBe(2);
    expect((await allRows(table)).length).toBe(2);
  });
});
