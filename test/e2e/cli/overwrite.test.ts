// An output named like an existing column: refused with the count of filled cells it would replace, unless --overwrite.
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OutputSpec } from '../../../backend/src/ports/domain.js';
import { expectedCells } from '../../helpers/cli-expect.js';
import { cliTestContext, jsonLines, modelEnv, readCsv, rowfill, spawnRowfill, within, type Workspace } from '../../helpers/cli-harness.js';

const ctx = cliTestContext();
const WEBSITE: readonly OutputSpec[] = [{ name: 'Website', instruction: 'Official website', type: 'url' }];
const SOURCE = ['Brand,Website,Country', 'Lego,lego.com,Denmark', 'IKEA,,Sweden', 'Muji,muji.com,Japan', 'Zara,zara.com,Spain', ''].join('\n');

function setup(): Workspace {
  const ws = ctx.workspace();
  ws.write('brands.csv', SOURCE);
  return ws;
}

function args(ws: Workspace, command: 'enrich' | 'estimate', ...extra: string[]): string[] {
  return [command, ws.path('brands.csv'), '--input', 'Brand', '--output', 'Website:url=Official website', ...(command === 'enrich' ? ['--budget', '1'] : []), '--db', ws.db, ...extra];
}

describe.concurrent('an output column named like an existing column', () => {
  it('is refused without --overwrite, naming the column and its filled cells in the selected rows, before anything is written', async () => {
    const ws = setup();
    const standIn = await ctx.standIn();
    const run = spawnRowfill(args(ws, 'enrich'), { cwd: ws.dir, env: modelEnv(standIn) });
    ctx.track(run.child);
    expect(await within(run.exited, 30_000, 'rowfill to exit')).toBe(2);
    expect(run.stderr()).toBe('rowfill: Website already has 3 filled cells; pass --overwrite to replace them\n');
    expect(run.stdout()).toBe('');
    expect(ws.files()).toEqual(['brands.csv']);
    expect(standIn.requestLog).toHaveLength(0);

    const some = await rowfill(args(ws, 'enrich', '--rows', '3-4'), modelEnv(standIn));
    expect(some).toMatchObject({ code: 2, stderr: 'rowfill: Website already has 1 filled cell in the selected rows; pass --overwrite to replace it\n' });
  });

  it('with --overwrite, replaces the cells of the rows that got an answer, in place, and keeps the rest', async () => {
    const ws = setup();
    const standIn = await ctx.standIn();
    const result = await rowfill(args(ws, 'enrich', '--overwrite', '--rows', '2-4'), modelEnv(standIn));
    expect(result.code, result.stderr).toBe(0);
    const out = ws.path('brands.enriched.csv');
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('Brand,Website,Country,rowfill_status,rowfill_error,rowfill_cost_usd');
    const rows = readCsv(out);
    expect(rows.map((r) => r.Website)).toEqual([
      expectedCells({ Brand: 'Lego' }, WEBSITE).Website,
      expectedCells({ Brand: 'IKEA' }, WEBSITE).Website,
      expectedCells({ Brand: 'Muji' }, WEBSITE).Website,
      'zara.com',
    ]);
    expect(rows.map((r) => r.Country)).toEqual(['Denmark', 'Sweden', 'Japan', 'Spain']);
    expect(rows.map((r) => r.rowfill_status)).toEqual(['done', 'done', 'done', '']);
    expect(readFileSync(ws.path('brands.csv'), 'utf8')).toBe(SOURCE);
  });

  it('is still refused when the output is also an input, --overwrite or not', async () => {
    const ws = setup();
    const result = await rowfill(['enrich', ws.path('brands.csv'), '--input', 'Brand', '--output', 'Brand=Again', '--budget', '1', '--overwrite', '--db', ws.db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"Brand" is both an input and an output column/);
  });

  it('is reported by estimate, with and without --overwrite', async () => {
    const ws = setup();
    const standIn = await ctx.standIn();
    const plain = await rowfill(args(ws, 'estimate'), modelEnv(standIn));
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('Website already has 3 filled cells; pass --overwrite to replace them');
    const confirmed = await rowfill(args(ws, 'estimate', '--overwrite'), modelEnv(standIn));
    expect(confirmed.stdout).toContain('Website: 3 filled cells will be replaced (--overwrite)');
    const json = await rowfill(args(ws, 'estimate', '--json'), modelEnv(standIn));
    expect(jsonLines(json.stdout)[0]).toMatchObject({ type: 'estimate', rows: 4, overwrites: [{ column: 'Website', filledCells: 3 }] });
    expect(standIn.requestLog).toHaveLength(0);
  });

  it('with --overwrite in a workbook, writes the answers into the existing column', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Brands');
    sheet.addRow(['Brand', 'Website', 'Country']);
    sheet.addRow(['Lego', 'lego.com', 'Denmark']);
    sheet.addRow(['IKEA', null, 'Sweden']);
    await workbook.xlsx.writeFile(ws.path('brands.xlsx'));

    const result = await rowfill(['enrich', ws.path('brands.xlsx'), '--input', 'Brand', '--output', 'Website:url=Official website', '--budget', '1', '--overwrite', '--db', ws.db], modelEnv(standIn));

    expect(result.code, result.stderr).toBe(0);
    const written = new ExcelJS.Workbook();
    await written.xlsx.readFile(ws.path('brands.enriched.xlsx'));
    const out = written.getWorksheet('Brands')!;
    expect(out.getRow(1).values).toEqual([undefined, 'Brand', 'Website', 'Country', 'rowfill_status', 'rowfill_error', 'rowfill_cost_usd']);
    expect(out.getCell('B2').value).toBe(expectedCells({ Brand: 'Lego' }, WEBSITE).Website);
    expect(out.getCell('B3').value).toBe(expectedCells({ Brand: 'IKEA' }, WEBSITE).Website);
    expect(out.getCell('C3').value).toBe('Sweden');
  });
});
