// Bad usage and bad input: one clear line on stderr, exit code 2, and nothing written (no output file, no state file).
import { describe, expect, it } from 'vitest';
import { brandsCsv, cliTestContext, rowfill, type Env, type Workspace } from '../../helpers/cli-harness.js';

const ctx = cliTestContext();

/** A workspace holding a valid `brands.csv` plus whatever else a case needs. */
function setup(): Workspace {
  const ws = ctx.workspace();
  ws.write('brands.csv', brandsCsv(3));
  return ws;
}

/** The flags of a valid run; cases replace or drop one of them. */
function validArgs(ws: Workspace, file = ws.path('brands.csv')): string[] {
  return ['enrich', file, '--input', 'Brand', '--output', 'Category=Main product category', '--budget', '1', '--db', ws.db];
}

function without(args: string[], flag: string): string[] {
  const i = args.indexOf(flag);
  return i < 0 ? args : [...args.slice(0, i), ...args.slice(i + 2)];
}

/** Exit 2, exactly one `rowfill: …` line on stderr, nothing on stdout, and no file besides the inputs. */
async function expectRejected(ws: Workspace, argv: string[], message: string | RegExp, env: Env = {}): Promise<string> {
  const before = ws.files();
  const result = await rowfill(argv, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', ...env });
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^rowfill: /);
  if (typeof message === 'string') expect(lines[0]).toContain(message);
  else expect(lines[0]).toMatch(message);
  expect(ws.files()).toEqual(before);
  return lines[0] ?? '';
}

describe('rowfill enrich rejects bad input before writing anything', () => {
  it('names a missing input file', async () => {
    const ws = setup();
    await expectRejected(ws, validArgs(ws, ws.path('missing.csv')), `File not found: ${ws.path('missing.csv')}`);
  });

  it('names an unknown input column and lists the real ones', async () => {
    const ws = setup();
    const args = validArgs(ws);
    args[args.indexOf('Brand')] = 'Wbesite';
    await expectRejected(ws, args, `Column "Wbesite" not found in ${ws.path('brands.csv')}. Columns: Brand, Country`);
  });

  it('refuses a header that names a column twice', async () => {
    const ws = setup();
    ws.write('dup.csv', 'Brand,Country,Brand\nLego,Denmark,x\n');
    await expectRejected(ws, validArgs(ws, ws.path('dup.csv')), 'Column "Brand" appears twice in the header of dup.csv');
  });

  it('refuses an .xlsx file that is not a workbook', async () => {
    const ws = setup();
    ws.write('garbage.xlsx', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256)));
    await expectRejected(ws, validArgs(ws, ws.path('garbage.xlsx')), /Could not read garbage\.xlsx as an Excel workbook/);
  });

  it('refuses a file type it cannot read', async () => {
    const ws = setup();
    ws.write('brands.json', '[]');
    await expectRejected(ws, validArgs(ws, ws.path('brands.json')), 'use a .csv, .tsv, .txt or .xlsx file');
  });

  it('refuses an output column that already exists in the file, counting the cells it would replace', async () => {
    const ws = setup();
    const args = validArgs(ws);
    args[args.indexOf('Category=Main product category')] = 'Country=Where it is from';
    await expectRejected(ws, args, 'Country already has 3 filled cells; pass --overwrite to replace them');
  });

  it('refuses to enrich an enriched copy (its status columns exist)', async () => {
    const ws = setup();
    ws.write('done.csv', 'Brand,rowfill_status\nLego,done\n');
    await expectRejected(ws, validArgs(ws, ws.path('done.csv')), 'already has a column "rowfill_status"; enrich the original file');
  });

  it('requires a budget', async () => {
    const ws = setup();
    await expectRejected(ws, without(validArgs(ws), '--budget'), 'Set a budget, a hard cap in USD: --budget <usd>');
  });

  it.each([
    ['0', '--budget must be greater than 0, got 0'],
    ['-1', '--budget must be greater than 0, got -1'],
    ['abc', '--budget "abc" is not a number'],
  ])('refuses --budget %s', async (budget, message) => {
    const ws = setup();
    await expectRejected(ws, [...without(validArgs(ws), '--budget'), '--budget', budget], message);
  });

  it.each([
    ['0', '--workers must be between 1 and 50, or auto, got 0'],
    ['51', '--workers must be between 1 and 50, or auto, got 51'],
    ['2.5', '--workers "2.5" is not a whole number or auto'],
    ['many', '--workers "many" is not a whole number or auto'],
    ['automatic', '--workers "automatic" is not a whole number or auto'],
  ])('refuses --workers %s', async (workers, message) => {
    const ws = setup();
    await expectRejected(ws, [...validArgs(ws), '--workers', workers], message);
  });

  it.each([
    ['1-5', 'row 1 is the header; data rows start at 2'],
    ['9-3', 'range 9-3 ends before it starts'],
    ['abc', '"abc" is not a row number or range like 2-50'],
    ['2-4,x', '"x" is not a row number or range like 2-50'],
  ])('refuses --rows %s', async (rows, message) => {
    const ws = setup();
    await expectRejected(ws, [...validArgs(ws), '--rows', rows], message);
  });

  it('refuses a --rows range past the end of the file', async () => {
    const ws = setup();
    await expectRejected(ws, [...validArgs(ws), '--rows', '100-200'], `No rows to enrich: ${ws.path('brands.csv')} has no data rows in --rows 100-200.`);
  });

  it('refuses a file with a header and no data rows', async () => {
    const ws = setup();
    ws.write('empty.csv', 'Brand,Country\n');
    await expectRejected(ws, validArgs(ws, ws.path('empty.csv')), `No rows to enrich: ${ws.path('empty.csv')} has no data rows.`);
  });

  it('keeps stdout empty under --json, so a script reading JSON lines sees nothing half-done', async () => {
    const ws = setup();
    await expectRejected(ws, [...validArgs(ws), '--json', '--workers', '0'], '--workers must be between 1 and 50, or auto, got 0');
  });

  it.each([
    ['0', '--limit must be at least 1, got 0'],
    ['1.5', '--limit "1.5" is not a whole number'],
  ])('refuses --limit %s', async (limit, message) => {
    const ws = setup();
    await expectRejected(ws, [...validArgs(ws), '--limit', limit], message);
  });

  it.each([
    [['--rpm', '0'], '--rpm: Too small'],
    [['--rpm', 'fast'], '--rpm "fast" is not a number'],
    [['--tpm', 'abc'], '--tpm "abc" is not a number'],
    [['--budget', '100000'], '--budget: must be at most 10000'],
  ])('refuses %j', async (extra, message) => {
    const ws = setup();
    const args = extra[0] === '--budget' ? without(validArgs(ws), '--budget') : validArgs(ws);
    await expectRejected(ws, [...args, ...extra], message);
  });

  it.each([
    ['Category', 'must look like "Name=instruction" or "Name:type=instruction"'],
    ['Category=', 'has an empty instruction'],
    ['=Main category', 'must look like "Name=instruction"'],
    ['Founded:integer=Year', 'unknown type "integer" (use text, number, boolean, url or enum(a|b|c))'],
    ['Tier:enum(Only)=Price tier', 'enum needs at least two options'],
  ])('refuses --output %j', async (spec, message) => {
    const ws = setup();
    const args = validArgs(ws);
    args[args.indexOf('Category=Main product category')] = spec;
    await expectRejected(ws, args, message);
  });

  it('refuses two output columns with the same name', async () => {
    const ws = setup();
    await expectRejected(ws, [...validArgs(ws), '--output', 'category=Again'], 'named twice');
  });

  it('requires an input and an output column', async () => {
    const ws = setup();
    await expectRejected(ws, without(validArgs(ws), '--input'), 'Name at least one input column: --input <column>');
    await expectRejected(ws, without(validArgs(ws), '--output'), 'Name at least one output column');
  });

  it('refuses an --out of another file type before spending anything', async () => {
    const ws = setup();
    await expectRejected(ws, [...validArgs(ws), '--out', ws.path('result.xlsx')], 'must be the same kind of file as');
  });
});

describe('rowfill enrich --config', () => {
  it('refuses an unknown key, naming it', async () => {
    const ws = setup();
    ws.write('rowfill.json', JSON.stringify({ input: 'Brand', wrokers: 4 }));
    await expectRejected(ws, [...validArgs(ws), '--config', ws.path('rowfill.json')], /Config file .*rowfill\.json.*Unrecognized key.*"wrokers"/);
  });

  it('refuses a file that is not JSON, on one line', async () => {
    const ws = setup();
    ws.write('rowfill.json', '{ "input": "Brand",\n  oops\n}\n');
    await expectRejected(ws, [...validArgs(ws), '--config', ws.path('rowfill.json')], /Config file .*rowfill\.json is not valid JSON/);
  });

  it('refuses a config file that does not exist', async () => {
    const ws = setup();
    await expectRejected(ws, [...validArgs(ws), '--config', ws.path('nope.json')], `Cannot read config file ${ws.path('nope.json')}`);
  });

  it('validates values that come from the file like flags', async () => {
    const ws = setup();
    ws.write('rowfill.json', JSON.stringify({ workers: 51 }));
    await expectRejected(ws, [...validArgs(ws), '--config', ws.path('rowfill.json')], '--workers must be between 1 and 50, or auto, got 51');
    ws.write('rowfill.json', JSON.stringify({ rows: '9-3' }));
    await expectRejected(ws, [...validArgs(ws), '--config', ws.path('rowfill.json')], 'range 9-3 ends before it starts');
  });
});

describe('rowfill estimate rejects the same bad input', () => {
  it.each([
    [['--input', 'Nope'], 'Column "Nope" not found'],
    [['--workers', '0'], '--workers must be between 1 and 50'],
    [['--rows', '1-5'], 'row 1 is the header'],
    [['--budget', '0'], '--budget must be greater than 0'],
  ])('refuses %j', async (extra, message) => {
    const ws = setup();
    const args = ['estimate', ws.path('brands.csv'), '--input', 'Brand', '--output', 'Category=Main product category', '--db', ws.db];
    const i = args.indexOf(extra[0] ?? '');
    if (i >= 0) args.splice(i, 2);
    await expectRejected(ws, [...args, ...extra], message);
  });
});

describe('bad environment', () => {
  it.each([
    [{ OPENAI_BASE_URL: 'ftp://example.com/v1' }, 'OPENAI_BASE_URL must be an http(s) URL'],
    [{ ROWFILL_PRICES: '{not json' }, 'ROWFILL_PRICES must be JSON like'],
    [{ ROWFILL_LOG_LEVEL: 'loud', OPENAI_BASE_URL: 'ftp://example.com/v1' }, 'OPENAI_BASE_URL must be an http(s) URL'],
  ])('is reported on one line: %j', async (env, message) => {
    const ws = setup();
    await expectRejected(ws, validArgs(ws), message, env);
  });
});

describe('command-line usage', () => {
  it('rejects an unknown option with exit 2', async () => {
    const result = await rowfill(['enrich', 'x.csv', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--bogus'");
  });

  it('rejects an unknown command with exit 2', async () => {
    const result = await rowfill(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });

  it('rejects resume without a job id with exit 2', async () => {
    const result = await rowfill(['resume']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing required argument 'job'");
  });

  it('prints help with exit 0, listing every command', async () => {
    const result = await rowfill(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['enrich', 'estimate', 'status', 'resume', 'retry-failed', 'cancel', 'jobs']) expect(result.stdout).toContain(command);
  });

  it('prints the options of enrich with exit 0', async () => {
    const result = await rowfill(['enrich', '--help']);
    expect(result.code).toBe(0);
    for (const flag of ['--input', '--output', '--model', '--workers', '--budget', '--out', '--rpm', '--tpm', '--rows', '--limit', '--force', '--db', '--json', '--config']) {
      expect(result.stdout).toContain(flag);
    }
  });
});
