// `rowfill enrich` on an .xlsx workbook: values round-trip, results are appended, and no cell of the copy is a formula.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { OutputSpec } from '../../../backend/src/ports/domain.js';
import { expectedCells } from '../../helpers/cli-expect.js';
import { cliTestContext, modelEnv, rowfill, type Workspace } from '../../helpers/cli-harness.js';

const ctx = cliTestContext();

const FORMULA_LIKE = ['=HYPERLINK("https://evil.example","click me")', '=1+1'];
const SPECS: readonly OutputSpec[] = [
  { name: 'Category', instruction: 'Main product category', type: 'text' },
  { name: 'Link', instruction: 'Pick one', type: 'enum', options: FORMULA_LIKE },
];
const BRANDS = [
  ['Lego', 'Denmark'],
  ['IKEA', 'Sweden'],
  ['Muji', 'Japan'],
  ['Zara', 'Spain'],
  ['Volvo', 'Sweden'],
  ['Rolex', 'Switzerland'],
] as const;

async function writeWorkbook(ws: Workspace): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Brands');
  sheet.addRow(['Brand', 'Country', 'Label', 'Employees']);
  BRANDS.forEach(([brand, country], i) => sheet.addRow([brand, country, `label ${i}`, 1000 + i]));
  // A text cell that only looks like a formula, and a real formula whose cached result must be kept as a value.
  sheet.getCell('C2').value = '=HYPERLINK("https://evil.example","original")';
  sheet.getCell('C3').value = { formula: 'A3&"!"', result: 'IKEA!' };
  workbook.addWorksheet('Notes').addRow(['kept', 42]);
  const path = ws.path('brands.xlsx');
  await workbook.xlsx.writeFile(path);
  return path;
}

describe.concurrent('rowfill enrich on an .xlsx file', () => {
  it('round-trips the workbook, appends the results as values and writes no formula, even for formula-like answers', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    const source = await writeWorkbook(ws);
    // Output columns with options come from a config file; enum answers here are text that starts with "=".
    ws.write('rowfill.json', JSON.stringify({ input: ['Brand', 'Country'], output: SPECS, budget: 1, workers: 3 }));

    const result = await rowfill(['enrich', source, '--config', ws.path('rowfill.json'), '--db', ws.db], modelEnv(standIn));

    expect(result.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(ws.path('brands.enriched.xlsx'));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Brands', 'Notes']);
    const formulas: string[] = [];
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.type === ExcelJS.ValueType.Formula || cell.formula !== undefined) formulas.push(`${sheet.name}!${cell.address}`);
        }),
      ),
    );
    expect(formulas).toEqual([]);

    const sheet = workbook.getWorksheet('Brands')!;
    const values = (rowNumber: number) => (sheet.getRow(rowNumber).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['Brand', 'Country', 'Label', 'Employees', 'Category', 'Link', 'rowfill_status', 'rowfill_error', 'rowfill_cost_usd']);
    expect(sheet.getCell('C2').value).toBe('=HYPERLINK("https://evil.example","original")');
    expect(sheet.getCell('C2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('C3').value).toBe('IKEA!');
    expect(sheet.getCell('D4').value).toBe(1002);

    const links: unknown[] = [];
    BRANDS.forEach(([Brand, Country], i) => {
      const row = sheet.getRow(i + 2);
      const expected = expectedCells({ Brand, Country }, SPECS);
      expect(row.getCell(5).value).toBe(expected.Category);
      expect(row.getCell(6).value ?? '').toBe(expected.Link);
      expect(row.getCell(7).value).toBe('done');
      expect(typeof row.getCell(9).value).toBe('number');
      links.push(row.getCell(6).value);
    });
    const formulaLike = links.filter((v) => typeof v === 'string' && v.startsWith('='));
    expect(formulaLike.length).toBeGreaterThan(0);
    expect(workbook.getWorksheet('Notes')!.getRow(1).values).toEqual([undefined, 'kept', 42]);
  });
});
