import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  CUT_MARKER,
  openTable,
  writeEnrichedTable,
  type AppendedValue,
  type ResultLookup,
} from '../../../../backend/src/adapters/file-sheet/index.js';
import { allRows, expectFileSheetError, scratch } from './helpers.js';

/** A lookup backed by a plain object, recording every batch it was asked for. */
function lookupFrom(results: Record<number, readonly AppendedValue[]>): ResultLookup & { calls: number[][] } {
  const calls: number[][] = [];
  const lookup = (rowNumbers: readonly number[]) => {
    calls.push([...rowNumbers]);
    const found = new Map<number, readonly AppendedValue[]>();
    for (const rowNumber of rowNumbers) {
      const values = results[rowNumber];
      if (values !== undefined) found.set(rowNumber, values);
    }
    return Promise.resolve(found);
  };
  return Object.assign(lookup, { calls });
}

describe('writeEnrichedTable on CSV', () => {
  it('keeps every original byte (BOM, CRLF, quotes, embedded newlines, no final newline) and appends the new fields', async () => {
    const folder = await scratch();
    const source = join(folder, 'brands.csv');
    const out = join(folder, 'brands.enriched.csv');
    await writeFile(
      source,
      '\uFEFFBrand,Website,Note\r\n' +
        'Nike,"https://www.nike.com","Say ""hi""\r\nthen go"\r\n' +
        '  Lego ,https://www.lego.com,plain\r\n' +
        'IKEA,https://www.ikea.com,"a,b"',
    );
    const result = await writeEnrichedTable({
      source,
      out,
      appendHeaders: ['Category', 'Founded'],
      lookup: lookupFrom({ 2: ['Shoes, "apparel"', 1964], 4: ['Furniture\nand more', null] }),
    });
    expect(await readFile(out, 'utf8')).toBe(
      '\uFEFFBrand,Website,Note,Category,Founded\r\n' +
        'Nike,"https://www.nike.com","Say ""hi""\r\nthen go","Shoes, ""apparel""",1964\r\n' +
        '  Lego ,https://www.lego.com,plain,,\r\n' +
        'IKEA,https://www.ikea.com,"a,b","Furniture\nand more",',
    );
    expect(result).toEqual({ out, rows: 3, filled: 2 });
  });

  it('keeps LF line endings and the source delimiter, quoting values that contain it', async () => {
    const folder = await scratch();
    const source = join(folder, 'eu.csv');
    await writeFile(source, 'Brand;Country\nIKEA;Sweden\n');
    await writeEnrichedTable({ source, out: source, appendHeaders: ['Note'], lookup: lookupFrom({ 2: ['flat; packed'] }) });
    expect(await readFile(source, 'utf8')).toBe('Brand;Country;Note\nIKEA;Sweden;"flat; packed"\n');
  });

  it('lines every appended value up under its header even when rows are ragged', async () => {
    const folder = await scratch();
    const source = join(folder, 'ragged.csv');
    const out = join(folder, 'out.csv');
    await writeFile(source, 'A,B,C\n1\n1,2,3,4\n1,2,3\n');
    await writeEnrichedTable({ source, out, appendHeaders: ['X'], lookup: lookupFrom({ 2: ['x2'], 3: ['x3'], 4: ['x4'] }) });
    const records: string[][] = parse(await readFile(out), { relax_column_count: true });
    const column = records[0]!.indexOf('X');
    expect(column).toBe(4);
    expect(records.slice(1).map((record) => record[column])).toEqual(['x2', 'x3', 'x4']);
    expect((await readFile(out, 'utf8')).split('\n')[1]).toBe('1,,,,x2');
  });

  it('leaves blank lines blank and gives rows without a result empty cells', async () => {
    const folder = await scratch();
    const source = join(folder, 'gaps.csv');
    const out = join(folder, 'out.csv');
    await writeFile(source, 'A,B\na,1\n\nb,2\n');
    const lookup = lookupFrom({ 4: ['yes'] });
    await writeEnrichedTable({ source, out, appendHeaders: ['R'], lookup });
    expect(await readFile(out, 'utf8')).toBe('A,B,R\na,1,\n\nb,2,yes\n');
    expect(lookup.calls).toEqual([[2, 4]]);
  });

  it('asks for results in batches of at most batchSize rows, with the row numbers openTable reported', async () => {
    const folder = await scratch();
    const source = join(folder, 'many.csv');
    await writeFile(source, `N\n${Array.from({ length: 25 }, (_, i) => `r${i}`).join('\n')}\n`);
    const lookup = lookupFrom({});
    await writeEnrichedTable({ source, out: join(folder, 'o.csv'), appendHeaders: ['R'], lookup, batchSize: 10 });
    const read = (await allRows(await openTable(source))).map((row) => row.rowNumber);
    expect(lookup.calls.flat()).toEqual(read);
    expect(Math.max(...lookup.calls.map((call) => call.length))).toBeLessThanOrEqual(10);
  });

  it('cuts an appended value over 50,000 characters and marks the cut', async () => {
    const folder = await scratch();
    const source = join(folder, 'long.csv');
    const out = join(folder, 'out.csv');
    await writeFile(source, 'A\na\n');
    await writeEnrichedTable({ source, out, appendHeaders: ['Essay'], lookup: lookupFrom({ 2: ['w'.repeat(80_000)] }) });
    const rows = await allRows(await openTable(out));
    expect(rows[0]!.values[1]).toHaveLength(50_000);
    expect(rows[0]!.values[1]!.endsWith(CUT_MARKER)).toBe(true);
  });

  it('produces a file openTable reads back with the new columns', async () => {
    const folder = await scratch();
    const source = join(folder, 'brands.csv');
    const out = join(folder, 'out.csv');
    await writeFile(source, 'Brand\nNike\nLego\n');
    await writeEnrichedTable({ source, out, appendHeaders: ['Country', 'Public'], lookup: lookupFrom({ 2: ['United States', true], 3: ['Denmark', false] }) });
    const table = await openTable(out);
    expect(table.headers).toEqual(['Brand', 'Country', 'Public']);
    expect((await allRows(table)).map((row) => row.values)).toEqual([
      ['Nike', 'United States', 'true'],
      ['Lego', 'Denmark', 'false'],
    ]);
  });

  it('leaves the existing output and no temp file behind when the lookup fails', async () => {
    const folder = await scratch();
    const source = join(folder, 'brands.csv');
    const out = join(folder, 'out.csv');
    await writeFile(source, 'Brand\nNike\n');
    await writeFile(out, 'previous result\n');
    const failing: ResultLookup = () => Promise.reject(new Error('database is gone'));
    await expect(writeEnrichedTable({ source, out, appendHeaders: ['R'], lookup: failing })).rejects.toThrow('database is gone');
    expect(await readFile(out, 'utf8')).toBe('previous result\n');
    expect((await readdir(folder)).sort()).toEqual(['brands.csv', 'out.csv']);
  });

  it('refuses a lookup that returns the wrong number of values for a row', async () => {
    const folder = await scratch();
    const source = join(folder, 'brands.csv');
    await writeFile(source, 'Brand\nNike\n');
    await expect(
      writeEnrichedTable({ source, out: join(folder, 'o.csv'), appendHeaders: ['A', 'B'], lookup: lookupFrom({ 2: ['only one'] }) }),
    ).rejects.toThrow('lookup returned 1 values for row 2; expected 2, one per appended header');
  });

  it('refuses a new column named like an existing one', async () => {
    const folder = await scratch();
    const source = join(folder, 'brands.csv');
    await writeFile(source, 'Brand,Category\nNike,x\n');
    await expectFileSheetError(
      writeEnrichedTable({ source, out: join(folder, 'o.csv'), appendHeaders: ['Category'], lookup: lookupFrom({}) }),
      'duplicate_header',
      'Column "Category" already exists in brands.csv; name the new column differently',
    );
  });

  it('validates its options with exact messages before touching any file', async () => {
    const base = { source: 'missing.csv', out: 'o.csv', lookup: lookupFrom({}) };
    await expect(writeEnrichedTable({ ...base, appendHeaders: [] })).rejects.toThrow(new RangeError('appendHeaders must name at least one column'));
    await expect(writeEnrichedTable({ ...base, appendHeaders: ['A'], batchSize: 0 })).rejects.toThrow(
      new RangeError('batchSize must be an integer from 1 to 100000, got 0'),
    );
    await expectFileSheetError(writeEnrichedTable({ ...base, appendHeaders: ['A', ' A '] }), 'duplicate_header', 'Output column "A" is named twice; give each new column its own name');
    await expectFileSheetError(writeEnrichedTable({ ...base, appendHeaders: ['A', ' '] }), 'empty_header', 'Output column 2 has no name; every new column needs one');
    await expectFileSheetError(writeEnrichedTable({ ...base, out: 'o.xlsx', appendHeaders: ['A'] }), 'unsupported_format', /same kind of file/);
    await expectFileSheetError(writeEnrichedTable({ ...base, appendHeaders: ['A'] }), 'file_not_found', 'File not found: missing.csv');
  });
});
