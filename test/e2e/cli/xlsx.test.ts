// `rowfill enrich` on an .xlsx workbook: values and the source's own formulas round-trip, results are appended, never as formulas.
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
  // A text cell that only looks like a formula, and a real formula that stays one, with its cached result.
  sheet.getCell('C2').value = '=HYPERLINK("https://evil.example","original")';
  sheet.getCell('C3').value = { formula: 'A3&"!"', result: 'IKEA!' };
  workbook.addWorksheet('Notes').addRow(['kept', 42]);
  const path = ws.path('brands.xlsx');
  await workbook.xlsx.writeFile(path);
  return path;
}

describe.concurrent('rowfill enrich on an .xlsx file', () => {
  it('round-trips the workbook, keeps its own formula, and appends the results as values, never formulas, even for formula-like answers', async () => {
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
    expect(formulas).toEqual(['Brands!C3']);

    const sheet = workbook.getWorksheet('Brands')!;
    const values = (rowNumber: number) => (sheet.getRow(rowNumber).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['Brand', 'Country', 'Label', 'Employees', 'Category', 'Link', 'rowfill_status', 'rowfill_error', 'rowfill_cost_usd']);
    expect(sheet.getCell('C2').value).toBe('=HYPERLINK("https://evil.example","original")');
    expect(sheet.getCell('C2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('C3').value).toEqual({ formula: 'A3&"!"', result: 'IKEA!' });
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

  it('writes number and boolean answers as typed cells, never as text or formulas', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    const source = await writeWorkbook(ws);
    const specs: OutputSpec[] = [
      { name: 'Founded', instruction: 'Year founded', type: 'number' },
      { name: 'Public', instruction: 'Is it listed?', type: 'boolean' },
    ];
    const result = await rowfill(['enrich', source, '--input', 'Brand', '--output', 'Founded:number=Year founded', '--output', 'Public:boolean=Is it listed?', '--budget', '1', '--db', ws.db], modelEnv(standIn));
    expect(result.code, result.stderr).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(ws.path('brands.enriched.xlsx'));
    const sheet = workbook.getWorksheet('Brands')!;
    BRANDS.forEach(([Brand], i) => {
      const expected = expectedCells({ Brand }, specs);
      const founded = sheet.getRow(i + 2).getCell(5);
      const listed = sheet.getRow(i + 2).getCell(6);
      if (expected.Founded !== '') {
        expect(founded.type).toBe(ExcelJS.ValueType.Number);
        expect(founded.value).toBe(Number(expected.Founded));
      }
      if (expected.Public !== '') {
        expect(listed.type).toBe(ExcelJS.ValueType.Boolean);
        expect(listed.value).toBe(expected.Public === 'true');
      }
    });
  });
});
