// `rowfill enrich` end to end, in-process, against a stand-in the test controls: output file, row selection,
// bad rows, re-runs, config files and the exit code of a completed job.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OutputSpec } from '../../../backend/src/ports/domain.js';
import { expectedCells } from '../../helpers/cli-expect.js';
import {
  brandRows,
  brandsCsv,
  cliTestContext,
  existsSync,
  jobIdOf,
  jsonLines,
  modelEnv,
  OUTPUT_FLAGS,
  readCsv,
  rowfill,
  type Workspace,
} from '../../helpers/cli-harness.js';

const ctx = cliTestContext();

function enrichArgs(ws: Workspace, file: string, ...extra: string[]): string[] {
  return ['enrich', ws.path(file), '--input', 'Brand', '--input', 'Country', ...OUTPUT_FLAGS, '--workers', '4', '--budget', '1', '--db', ws.db, ...extra];
}

describe.concurrent('rowfill enrich', () => {
  it('writes <name>.enriched.csv with the original columns byte-for-byte and the new columns appended', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    const records = [
      'Brand,Country,Notes',
      'Patagonia,USA,"Outdoor, ""technical"" clothing"',
      '"Lego, A/S",Denmark,"two\nlines"',
      'Muji,Japan,',
      'Café Ünïcode,France,"  padded  "',
    ];
    const source = Buffer.from(`${records.join('\r\n')}\r\n`, 'utf8');
    ws.write('brands.csv', source);

    const result = await rowfill(enrichArgs(ws, 'brands.csv'), modelEnv(standIn));

    expect(result.code).toBe(0);
    const out = ws.path('brands.enriched.csv');
    expect(result.stderr).toContain(`Completed — job ${jobIdOf(result)}`);
    expect(result.stderr).toContain('4 total · 4 done · 0 failed · 0 skipped (unchanged) · 0 not yet run');
    expect(result.stderr).toContain(`output   ${out}`);
    expect(readFileSync(ws.path('brands.csv'))).toEqual(source);

    const written = readFileSync(out, 'utf8');
    expect(written.endsWith('\r\n')).toBe(true);
    const lines = written.slice(0, -2).split('\r\n');
    expect(lines).toHaveLength(records.length);
    expect(lines[0]).toBe('Brand,Country,Notes,Category,Founded,rowfill_status,rowfill_error,rowfill_cost_usd');
    records.slice(1).forEach((record, i) => expect(lines[i + 1]?.startsWith(`${record},`)).toBe(true));

    const rows = readCsv(out);
    const inputs = [
      { Brand: 'Patagonia', Country: 'USA' },
      { Brand: 'Lego, A/S', Country: 'Denmark' },
      { Brand: 'Muji', Country: 'Japan' },
      { Brand: 'Café Ünïcode', Country: 'France' },
    ];
    rows.forEach((row, i) => {
      expect(row).toMatchObject({ ...inputs[i], ...expectedCells(inputs[i]!), rowfill_status: 'done', rowfill_error: '' });
      expect(Number(row.rowfill_cost_usd)).toBeGreaterThan(0);
    });
    expect(rows.map((r) => r.Notes)).toEqual(['Outdoor, "technical" clothing', 'two\nlines', '', '  padded  ']);
    expect(ws.files().filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(standIn.requestLog.filter((e) => e.billed)).toHaveLength(4);
  });

  it('fills output columns of every type: text, number, boolean, url and enum', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(4));
    const specs: OutputSpec[] = [
      { name: 'Summary', instruction: 'One line about the brand', type: 'text' },
      { name: 'Founded', instruction: 'Year founded', type: 'number' },
      { name: 'Public', instruction: 'Is it listed?', type: 'boolean' },
      { name: 'Site', instruction: 'Homepage', type: 'url' },
      { name: 'Tier', instruction: 'Price tier', type: 'enum', options: ['Budget', 'Mid', 'Premium'] },
    ];
    const flags = ['--output', 'Summary=One line about the brand', '--output', 'Founded:number=Year founded', '--output', 'Public:boolean=Is it listed?'];
    flags.push('--output', 'Site:url=Homepage', '--output', 'Tier:enum(Budget|Mid|Premium)=Price tier');

    const result = await rowfill(['enrich', ws.path('brands.csv'), '--input', 'Brand', '--input', 'Country', ...flags, '--budget', '1', '--db', ws.db], modelEnv(standIn));

    expect(result.code).toBe(0);
    const rows = readCsv(ws.path('brands.enriched.csv'));
    brandRows(4).forEach((inputs, i) => expect(rows[i]).toMatchObject({ ...expectedCells(inputs, specs), rowfill_status: 'done' }));
    expect(rows.map((r) => r.Public).every((v) => v === 'true' || v === 'false')).toBe(true);
    expect(rows.map((r) => r.Site).every((v) => /^https?:\/\//.test(v ?? ''))).toBe(true);
    expect(rows.map((r) => r.Tier).every((v) => ['Budget', 'Mid', 'Premium', ''].includes(v ?? ''))).toBe(true);
  });

  it('writes to --out when given', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(2));
    const result = await rowfill(enrichArgs(ws, 'brands.csv', '--out', ws.path('results/enriched.csv')), modelEnv(standIn));
    expect(result.code).toBe(0);
    expect(readCsv(ws.path('results/enriched.csv')).map((r) => r.rowfill_status)).toEqual(['done', 'done']);
    expect(existsSync(ws.path('brands.enriched.csv'))).toBe(false);
  });

  it('fails an empty input row and an oversized cell alone with input_invalid, and completes the rest (exit 0)', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    const huge = 'x'.repeat(50_001);
    ws.write('brands.csv', ['Brand,Country,Notes', 'Lego,Denmark,a', ',,only a note', `${huge},Nowhere,b`, 'IKEA,Sweden,c'].join('\n') + '\n');

    const result = await rowfill(enrichArgs(ws, 'brands.csv'), modelEnv(standIn));

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('4 total · 2 done · 2 failed');
    expect(result.stderr).toContain('failed   input_invalid 2');
    const rows = readCsv(ws.path('brands.enriched.csv'));
    expect(rows.map((r) => r.rowfill_status)).toEqual(['done', 'failed: input_invalid', 'failed: input_invalid', 'done']);
    expect(rows[1]?.rowfill_error).toBe('Every input cell of this row is empty.');
    expect(rows[2]?.rowfill_error).toContain('50001 characters long; the limit is 50000');
    expect(rows[2]?.Brand).toBe(huge);
    expect([rows[1]?.Category, rows[2]?.Category]).toEqual(['', '']);
    // Invalid rows never reach the model.
    expect(standIn.requestLog).toHaveLength(2);
  });

  it('completes with exit 0 when the content filter stops some rows, listing them in the summary', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn({ faults: { contentFilter: 0.3 }, seed: 7 });
    ws.write('brands.csv', brandsCsv(12));

    const result = await rowfill(enrichArgs(ws, 'brands.csv', '--workers', '2'), modelEnv(standIn));

    const filtered = standIn.requestLog.filter((e) => e.fault === 'contentFilter').length;
    expect(filtered).toBeGreaterThan(0);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Completed — job ${jobIdOf(result)}`);
    expect(result.stderr).toContain(`failed   content_filter ${filtered}`);
    expect(result.stderr).toContain(`Re-run the failed rows with: rowfill retry-failed ${jobIdOf(result)}`);
    const statuses = readCsv(ws.path('brands.enriched.csv')).map((r) => r.rowfill_status);
    expect(statuses.filter((s) => s === 'failed: content_filter')).toHaveLength(filtered);
    expect(statuses.filter((s) => s === 'done')).toHaveLength(12 - filtered);
  });

  it.each([
    ['--rows 2-4,7', ['--rows', '2-4,7'], [2, 3, 4, 7]],
    ['--limit 2', ['--limit', '2'], [2, 3]],
    ['--rows 5- --limit 2', ['--rows', '5-', '--limit', '2'], [5, 6]],
  ])('%s enriches only the selected rows and leaves the others with empty appended cells', async (_name, flags, selected) => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(8));

    const result = await rowfill(enrichArgs(ws, 'brands.csv', ...flags), modelEnv(standIn));

    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`${selected.length} total · ${selected.length} done`);
    const rows = readCsv(ws.path('brands.enriched.csv'));
    expect(rows).toHaveLength(8);
    const inputs = brandRows(8);
    rows.forEach((row, i) => {
      const rowNumber = i + 2;
      if (selected.includes(rowNumber)) {
        expect(row).toMatchObject({ ...expectedCells(inputs[i]!), rowfill_status: 'done' });
      } else {
        expect(row).toMatchObject({ Category: '', Founded: '', rowfill_status: '', rowfill_error: '', rowfill_cost_usd: '' });
      }
    });
    expect(standIn.requestLog).toHaveLength(selected.length);
  });

  it('skips every unchanged row on a re-run, keeping its outputs with zero model calls; --force recomputes', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(5));
    const first = await rowfill(enrichArgs(ws, 'brands.csv'), modelEnv(standIn));
    expect(first.code).toBe(0);
    const firstRows = readCsv(ws.path('brands.enriched.csv'));
    standIn.resetLog();

    const again = await rowfill(enrichArgs(ws, 'brands.csv'), modelEnv(standIn));

    expect(again.code).toBe(0);
    expect(jobIdOf(again)).not.toBe(jobIdOf(first));
    expect(again.stderr).toContain('5 total · 0 done · 0 failed · 5 skipped (unchanged)');
    const againRows = readCsv(ws.path('brands.enriched.csv'));
    expect(againRows.map((r) => r.rowfill_status)).toEqual(Array(5).fill('skipped (unchanged)'));
    expect(againRows.map((r) => [r.Category, r.Founded])).toEqual(firstRows.map((r) => [r.Category, r.Founded]));
    expect(standIn.requestLog).toHaveLength(0);

    const forced = await rowfill(enrichArgs(ws, 'brands.csv', '--force'), modelEnv(standIn));

    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('5 total · 5 done');
    expect(readCsv(ws.path('brands.enriched.csv')).map((r) => r.rowfill_status)).toEqual(Array(5).fill('done'));
    expect(standIn.requestLog.filter((e) => e.billed)).toHaveLength(5);
  });

  it('re-runs a row whose input changed and skips the rest', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(3));
    expect((await rowfill(enrichArgs(ws, 'brands.csv'), modelEnv(standIn))).code).toBe(0);
    standIn.resetLog();
    ws.write('brands.csv', brandsCsv(3).replace('Lego 2,Sweden', 'Lego Group,Sweden'));

    const again = await rowfill(enrichArgs(ws, 'brands.csv'), modelEnv(standIn));

    expect(again.code).toBe(0);
    const rows = readCsv(ws.path('brands.enriched.csv'));
    expect(rows.map((r) => r.rowfill_status)).toEqual(['skipped (unchanged)', 'done', 'skipped (unchanged)']);
    expect(rows[1]).toMatchObject(expectedCells({ Brand: 'Lego Group', Country: 'Sweden' }));
    expect(standIn.requestLog).toHaveLength(1);
  });

  it('takes every option from --config rowfill.json, with flags on the command line winning', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(6));
    const out = ws.path('custom/out.csv');
    ws.write(
      'rowfill.json',
      JSON.stringify({
        input: ['Brand', 'Country'],
        output: ['Category=Main product category', { name: 'Tier', instruction: 'Price tier', type: 'enum', options: ['Budget', 'Premium'] }],
        model: 'gpt-4.1-nano',
        workers: 3,
        budget: 2,
        out,
        rpm: 6000,
        tpm: 1_000_000,
        rows: '2-5',
        limit: 3,
        force: false,
        db: ws.db,
        json: true,
      }),
    );

    const result = await rowfill(['enrich', ws.path('brands.csv'), '--config', ws.path('rowfill.json'), '--limit', '2'], modelEnv(standIn));

    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', status: 'completed', total: 2, done: 2, budgetUsd: 2, out });
    const rows = readCsv(out);
    expect(Object.keys(rows[0]!)).toEqual(['Brand', 'Country', 'Category', 'Tier', 'rowfill_status', 'rowfill_error', 'rowfill_cost_usd']);
    expect(rows.map((r) => r.rowfill_status)).toEqual(['done', 'done', '', '', '', '']);
    expect(['Budget', 'Premium', '']).toContain(rows[0]?.Tier);
    expect(new Set(standIn.requestLog.map((e) => e.model))).toEqual(new Set(['gpt-4.1-nano']));
    expect(existsSync(ws.db)).toBe(true);
  });

  it('keeps its state in ROWFILL_DB when --db is not given', async () => {
    const ws = ctx.workspace();
    const standIn = await ctx.standIn();
    ws.write('brands.csv', brandsCsv(2));
    const env = modelEnv(standIn, { ROWFILL_DB: ws.path('env-state.db') });
    const args = enrichArgs(ws, 'brands.csv').filter((a, i, all) => a !== '--db' && all[i - 1] !== '--db');

    const result = await rowfill(args, env);

    expect(result.code).toBe(0);
    expect(existsSync(ws.path('env-state.db'))).toBe(true);
    expect(existsSync(ws.db)).toBe(false);
    const jobs = await rowfill(['jobs'], env);
    expect(jobs.stdout).toContain(jobIdOf(result));
  });

  it('labels answers as simulated when no OPENAI_API_KEY is set', async () => {
    const ws = ctx.workspace();
    ws.write('brands.csv', brandsCsv(2));

    const result = await rowfill(enrichArgs(ws, 'brands.csv'), {});

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Model: simulated — answers come from the local stand-in because OPENAI_API_KEY is not set.');
    expect(result.stderr).toContain('[simulated model: local stand-in]');
    expect(readCsv(ws.path('brands.enriched.csv')).map((r) => r.rowfill_status)).toEqual(['done', 'done']);
  });
});
