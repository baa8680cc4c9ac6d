import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  CUT_MARKER,
  openTable,
  writeEnrichedTable,
  XLSX_CELL_CHAR_LIMIT,
  type AppendedValue,
  type ResultLookup,
} from '../../../../backend/src/adapters/file-sheet/index.js';
import { allRows, expectFileSheetError, scratch } from './helpers.js';
import { loadWorkbook, writeBrandsWorkbook, writeRowsWorkbook } from './xlsx-fixtures.js';

function lookupFrom(results: Record<number, readonly AppendedValue[]>): ResultLookup {
  return (rowNumbers) => Promise.resolve(new Map(rowNumbers.flatMap((n) => (results[n] ? [[n, results[n]] as const] : []))));
}

function formulaCells(workbook: ExcelJS.Workbook): string[] {
  const found: string[] = [];
  workbook.eachSheet((sheet) => {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula || cell.formula !== undefined) found.push(`${sheet.name}!${cell.address}`);
      });
    });
  });
  return found;
}

describe('writeEnrichedTable on XLSX', () => {
  it('writes strings that look like formulas as plain text: no appended cell holds a formula', async () => {
    const folder = await scratch();
    const source = join(folder, 'brands.xlsx');
    const out = join(folder, 'brands.enriched.xlsx');
    await writeBrandsWorkbook(source);
    await writeEnrichedTable({
      source,
      out,
      appendHeaders: ['Summary', 'Link'],
      lookup: lookupFrom({ 2: ['=1+1', '=HYPERLINK("https://evil.example","click")'], 3: ['@SUM(A1:A2)', '+cmd'] }),
    });
    const workbook = await loadWorkbook(out);
    // Only the source's own formulas (F2, G2): never an appended cell.
    expect(formulaCells(workbook)).toEqual(['Brands!F2', 'Brands!G2']);
    const sheet = workbook.getWorksheet('Brands')!;
    expect(sheet.getCell('H1').value).toBe('Summary');
    expect(sheet.getCell('H2').value).toBe('=1+1');
    expect(sheet.getCell('H2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('I2').value).toBe('=HYPERLINK("https://evil.example","click")');
    expect(sheet.getCell('B3').value).toBe('=not a formula');
  });

  it('keeps the original values: formulas with their cached results, dates as dates, numbers exact, other sheets copied', async () => {
    const folder = await scratch();
    const source = join(folder, 'brands.xlsx');
    const out = join(folder, 'out.xlsx');
    await writeBrandsWorkbook(source);
    const result = await writeEnrichedTable({ source, out, appendHeaders: ['Category'], lookup: lookupFrom({ 3: ['Shoes'] }) });
    expect(result).toEqual({ out, rows: 2, filled: 1 });
    const workbook = await loadWorkbook(out);
    const sheet = workbook.getWorksheet('Brands')!;
    expect(sheet.getCell('A2').value).toBe('Lego');
    expect(sheet.getCell('B2').value).toBe('lego.com');
    expect(sheet.getCell('C2').value).toEqual(new Date(Date.UTC(1932, 7, 10)));
    expect(sheet.getCell('C2').numFmt).toBe('yyyy-mm-dd');
    expect(sheet.getCell('D2').value).toBe(0.1 + 0.2);
    expect(sheet.getCell('E2').value).toBe(false);
    expect(sheet.getCell('F2').value).toEqual({ formula: 'A2&"!"', result: 'Lego!' });
    expect(sheet.getCell('G2').value).toEqual({ formula: 'D2*2', result: 0.6 });
    expect(sheet.getCell('H2').value).toBeNull();
    expect(sheet.getCell('H3').value).toBe('Shoes');
    expect(workbook.getWorksheet('Notes')!.getCell('B2').value).toBe('second sheet');
  });

  it('adds the columns to the named sheet only', async () => {
    const folder = await scratch();
    const source = join(folder, 'brands.xlsx');
    const out = join(folder, 'out.xlsx');
    await writeBrandsWorkbook(source);
    await writeEnrichedTable({ source, out, sheetName: 'Notes', appendHeaders: ['Length'], lookup: lookupFrom({ 2: [12] }) });
    expect((await openTable(out, { sheetName: 'Notes' })).headers).toEqual(['Topic', 'Text', 'Length']);
    expect((await openTable(out)).headers).toEqual(['Brand', 'Website', 'Founded', 'Revenue', 'Public', 'Label', 'Double']);
    expect((await loadWorkbook(out)).getWorksheet('Notes')!.getCell('C2').value).toBe(12);
  });

  it('places new columns after the widest row so no source cell is overwritten', async () => {
    const folder = await scratch();
    const source = join(folder, 'wide.xlsx');
    const out = join(folder, 'out.xlsx');
    await writeRowsWorkbook(source, [['Brand', 'Country'], ['Lego', 'Denmark', null, 'a note']]);
    await writeEnrichedTable({ source, out, appendHeaders: ['Category'], lookup: lookupFrom({ 2: ['Toys'] }) });
    const sheet = (await loadWorkbook(out)).getWorksheet('Data')!;
    expect(sheet.getCell('D2').value).toBe('a note');
    expect(sheet.getCell('E1').value).toBe('Category');
    expect(sheet.getCell('E2').value).toBe('Toys');
  });

  it("cuts appended text at Excel's 32,767-character cell limit and marks the cut", async () => {
    const folder = await scratch();
    const source = join(folder, 'one.xlsx');
    const out = join(folder, 'out.xlsx');
    await writeRowsWorkbook(source, [['Brand'], ['Lego']]);
    await writeEnrichedTable({ source, out, appendHeaders: ['Essay'], lookup: lookupFrom({ 2: ['w'.repeat(60_000)] }) });
    const [row] = await allRows(await openTable(out));
    expect(row!.values[1]).toHaveLength(XLSX_CELL_CHAR_LIMIT);
    expect(row!.values[1]!.endsWith(CUT_MARKER)).toBe(true);
  });

  it('reports a corrupt source as unreadable and leaves no output or temp file', async () => {
    const folder = await scratch();
    const source = join(folder, 'bad.xlsx');
    await writeFile(source, 'not a workbook at all');
    await expectFileSheetError(
      writeEnrichedTable({ source, out: join(folder, 'out.xlsx'), appendHeaders: ['A'], lookup: lookupFrom({}) }),
      'unreadable',
    );
    expect(await readdir(folder)).toEqual(['bad.xlsx']);
  });

  it('reports an unknown sheet with the list of sheets', async () => {
    const folder = await scratch();
    const source = join(folder, 'brands.xlsx');
    await writeBrandsWorkbook(source);
    await expectFileSheetError(
      writeEnrichedTable({ source, out: join(folder, 'o.xlsx'), sheetName: 'Nope', appendHeaders: ['A'], lookup: lookupFrom({}) }),
      'unknown_sheet',
      'Sheet "Nope" not found in brands.xlsx. Sheets: Brands, Notes',
    );
  });
});

describe('writeEnrichedTable keeps the layout of the original columns', () => {
  it('keeps formulas (shared ones filled down a range too) with their cached values, and merged ranges', async () => {
    const folder = await scratch();
    const source = join(folder, 'sheet.xlsx');
    const out = join(folder, 'out.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Data');
    sheet.addRow(['Brand', 'Score', 'Label']);
    sheet.addRow(['Lego', 2, { formula: 'A2&"!"', result: 'Lego!' }]);
    sheet.addRow(['IKEA', 3, null]);
    sheet.addRow(['Muji', 4, null]);
    sheet.getCell('B2').value = { formula: 'A2*10', result: 20, shareType: 'shared', ref: 'B2:B4' } as ExcelJS.CellValue;
    sheet.getCell('B3').value = { sharedFormula: 'B2', result: 30 };
    sheet.getCell('B4').value = { sharedFormula: 'B2', result: 40 };
    sheet.getCell('A5').value = 'merged note';
    sheet.getCell('C5').value = 'after the merge';
    sheet.mergeCells('A5:B6');
    sheet.getCell('A7').value = 'Zara';
    workbook.addWorksheet('Other').mergeCells('B2:C2');
    await workbook.xlsx.writeFile(source);

    await writeEnrichedTable({ source, out, appendHeaders: ['Category'], lookup: lookupFrom({ 2: ['Toys'], 3: ['=1+1'], 7: ['Fashion'] }) });

    const written = await loadWorkbook(out);
    const data = written.getWorksheet('Data')!;
    expect(data.getCell('C2').value).toEqual({ formula: 'A2&"!"', result: 'Lego!' });
    expect(data.getCell('B2').formula).toBe('A2*10');
    expect(data.getCell('B2').result).toBe(20);
    expect(data.getCell('B3').formula).toBe('A3*10');
    expect(data.getCell('B3').result).toBe(30);
    expect(data.getCell('B4').formula).toBe('A4*10');
    expect(data.getCell('B4').result).toBe(40);
    expect(data.model.merges).toEqual(['A5:B6']);
    expect(data.getCell('A5').value).toBe('merged note');
    expect(data.getCell('C5').value).toBe('after the merge');
    expect(written.getWorksheet('Other')!.model.merges).toEqual(['B2:C2']);
    expect(data.getCell('D2').value).toBe('Toys');
    expect(data.getCell('D3').value).toBe('=1+1');
    expect(data.getCell('D3').type).toBe(ExcelJS.ValueType.String);
    expect(data.getCell('D7').value).toBe('Fashion');
    expect(formulaCells(written)).toEqual(['Data!B2', 'Data!C2', 'Data!B3', 'Data!B4']);
  });
});

describe('writeEnrichedTable on a larger XLSX', () => {
  it('copies thousands of rows across many lookup batches in order', async () => {
    const folder = await scratch();
    const source = join(folder, 'many.xlsx');
    const out = join(folder, 'out.xlsx');
    const rows = Array.from({ length: 5000 }, (_, i) => [`Brand ${i}`, i]);
    await writeRowsWorkbook(source, [['Brand', 'Index'], ...rows]);
    const batches: number[] = [];
    const result = await writeEnrichedTable({
      source,
      out,
      appendHeaders: ['Double'],
      batchSize: 700,
      lookup: (rowNumbers) => {
        batches.push(rowNumbers.length);
        return Promise.resolve(new Map(rowNumbers.map((n) => [n, [(n - 2) * 2]])));
      },
    });
    expect(result).toEqual({ out, rows: 5000, filled: 5000 });
    expect(Math.max(...batches)).toBeLessThanOrEqual(700);
    const read = await allRows(await openTable(out));
    expect(read).toHaveLength(5000);
    expect(read.every((row) => row.values[2] === String(Number(row.values[1]) * 2))).toBe(true);
  });
});
