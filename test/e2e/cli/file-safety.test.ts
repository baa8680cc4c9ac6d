// The files around a job are checked before anything is read or spent: --out, --db and the input never overwrite
// each other, an unwritable destination is refused in one line, one lock per real state file, and no leftovers on disk.
import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  brandsCsv,
  cliTestContext,
  deadPid,
  existsSync,
  jsonLines,
  modelEnv,
  OUTPUT_FLAGS,
  readCsv,
  rowfill,
  spawnRowfill,
  waitUntil,
  within,
  type Env,
  type Workspace,
} from '../../helpers/cli-harness.js';

const ctx = cliTestContext();
const SOURCE = brandsCsv(3);

function setup(): Workspace {
  const ws = ctx.workspace();
  ws.write('brands.csv', SOURCE);
  return ws;
}

function enrich(ws: Workspace, ...extra: string[]): string[] {
  return ['enrich', ws.path('brands.csv'), '--input', 'Brand', ...OUTPUT_FLAGS, '--budget', '1', ...extra];
}

/** Runs the real `bin/rowfill.js`: exit 2, one `rowfill: …` line, nothing on stdout, no model call, no new file. */
async function expectRefused(ws: Workspace, argv: string[], message: string | RegExp, env: Env = {}): Promise<void> {
  const standIn = await ctx.standIn();
  const before = ws.files();
  const run = spawnRowfill(argv, { cwd: ws.dir, env: modelEnv(standIn, env) });
  ctx.track(run.child);
  const code = await within(run.exited, 30_000, 'rowfill to exit');
  expect({ code, stdout: run.stdout() }).toEqual({ code: 2, stdout: '' });
  const lines = run.stderr().split('\n').filter((l) => l !== '');
  expect(lines, run.stderr()).toHaveLength(1);
  expect(lines[0]).toMatch(/^rowfill: /);
  if (typeof message === 'string') expect(lines[0]).toContain(message);
  else expect(lines[0]).toMatch(message);
  expect(standIn.requestLog).toHaveLength(0);
  expect(ws.files()).toEqual(before);
  expect(readFileSync(ws.path('brands.csv'), 'utf8')).toBe(SOURCE);
}

describe.concurrent('--out, --db and the input file never overwrite each other', () => {
  it('refuses --out equal to the input file', async () => {
    const ws = setup();
    await expectRefused(ws, enrich(ws, '--out', ws.path('brands.csv'), '--db', ws.db), `--out ${ws.path('brands.csv')} is the input file`);
  });

  it('refuses --out that reaches the input through ./sub/../', async () => {
    const ws = setup();
    mkdirSync(ws.path('sub'));
    await expectRefused(ws, enrich(ws, '--out', './sub/../brands.csv', '--db', ws.db), 'is the input file');
  });

  it('refuses --out that is a symlink to the input file', async () => {
    const ws = setup();
    symlinkSync(ws.path('brands.csv'), ws.path('link.csv'));
    await expectRefused(ws, enrich(ws, '--out', ws.path('link.csv'), '--db', ws.db), 'is the input file');
  });

  it('refuses --out equal to --db', async () => {
    const ws = setup();
    await expectRefused(ws, enrich(ws, '--out', ws.path('same.csv'), '--db', ws.path('same.csv')), /--out .*same\.csv is also the --db state file/);
  });

  it('refuses --db equal to the input file', async () => {
    const ws = setup();
    await expectRefused(ws, enrich(ws, '--db', './brands.csv'), /--db .*brands\.csv is the input file/);
  });

  it('never turns a file that is not a state file into one: jobs, status and enrich refuse it', async () => {
    const ws = setup();
    const csv = 'Brand,Category\nLego,Toys\n';
    ws.write('out.csv', csv);
    await expectRefused(ws, ['jobs', '--db', 'out.csv'], /--db .*out\.csv is not a rowfill state file \(not a SQLite database\)/);
    await expectRefused(ws, ['status', '--db', 'out.csv'], 'is not a rowfill state file');
    await expectRefused(ws, enrich(ws, '--db', ws.path('out.csv')), 'is not a rowfill state file');
    await expectRefused(ws, ['estimate', ws.path('brands.csv'), '--input', 'Brand', ...OUTPUT_FLAGS, '--db', 'out.csv'], 'is not a rowfill state file');
    await expectRefused(ws, ['serve', '--port', '0', '--db', 'out.csv'], 'is not a rowfill state file');
    expect(readFileSync(ws.path('out.csv'), 'utf8')).toBe(csv);
  });
});

describe.concurrent('an unwritable --out or --db is refused before the first call', () => {
  it('refuses --out under a regular file', async () => {
    const ws = setup();
    await expectRefused(ws, enrich(ws, '--out', ws.path('brands.csv/out.csv'), '--db', ws.db), /--out .*brands\.csv\/out\.csv cannot be written: .*brands\.csv is a file, not a folder/);
  });

  it('refuses --out under /proc', async () => {
    const ws = setup();
    await expectRefused(ws, enrich(ws, '--out', '/proc/rowfill-test/out.csv', '--db', ws.db), /--out \/proc\/rowfill-test\/out\.csv cannot be written/);
  });

  it('refuses --out that is a folder', async () => {
    const ws = setup();
    mkdirSync(ws.path('folder.csv'));
    await expectRefused(ws, enrich(ws, '--out', ws.path('folder.csv'), '--db', ws.db), 'is a folder');
  });

  it('refuses --db under a regular file, for a job and for a read', async () => {
    const ws = setup();
    await expectRefused(ws, enrich(ws, '--db', ws.path('brands.csv/state.db')), /--db .*brands\.csv\/state\.db cannot be written: .*brands\.csv is a file, not a folder/);
    await expectRefused(ws, ['jobs', '--db', ws.path('brands.csv/state.db')], 'cannot be written');
  });

  it('refuses --db under /proc', async () => {
    const ws = setup();
    await expectRefused(ws, enrich(ws, '--db', '/proc/rowfill-test/state.db'), /--db \/proc\/rowfill-test\/state\.db cannot be written/);
  });
});

describe.concurrent('an output that becomes unwritable during the run', () => {
  it('is reported in one line with exit 3, naming where the results are kept, never a stack trace', async () => {
    const ws = setup();
    const standIn = await ctx.standIn({ latencyMs: 150 });
    ws.write('big.csv', brandsCsv(20));
    mkdirSync(ws.path('out'));
    const run = spawnRowfill(['enrich', 'big.csv', '--input', 'Brand', ...OUTPUT_FLAGS, '--budget', '5', '--workers', '2', '--out', 'out/big.csv', '--db', 'state.db'], { cwd: ws.dir, env: modelEnv(standIn) });
    ctx.track(run.child);
    await waitUntil(() => standIn.requestLog.length > 0, 'the first model call', 30_000);
    rmSync(ws.path('out'), { recursive: true });
    writeFileSync(ws.path('out'), 'a file where the folder was');

    expect(await within(run.exited, 60_000, 'the run to end')).toBe(3);
    const lines = run.stderr().split('\n').filter((l) => l.startsWith('rowfill: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^rowfill: could not write the enriched copy .*out\/big\.csv: .+; every result is kept in .*state\.db \(job job_[0-9a-f]+\)$/);
    expect(run.stderr()).not.toMatch(/\n\s+at /);
  });
});

describe.concurrent('nothing on disk for a command that spends nothing or refuses', () => {
  it('estimate creates no state file', async () => {
    const ws = setup();
    const standIn = await ctx.standIn();
    const result = await rowfill(['estimate', ws.path('brands.csv'), '--input', 'Brand', ...OUTPUT_FLAGS, '--db', ws.path('state/rowfill.db')], modelEnv(standIn));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^3 rows · 3 to run/);
    expect(ws.files()).toEqual(['brands.csv']);
  });

  it('a run refused for a model with no price creates no state file', async () => {
    const ws = setup();
    await expectRefused(ws, enrich(ws, '--model', 'gpt-9', '--db', ws.path('state/rowfill.db')), /no price is known for (model )?"gpt-9"/i);
  });

  it('a refused run leaves an existing state file and its jobs alone', async () => {
    const ws = setup();
    const standIn = await ctx.standIn();
    expect((await rowfill(enrich(ws, '--db', ws.db), modelEnv(standIn))).code).toBe(0);
    const refused = await rowfill(enrich(ws, '--model', 'gpt-9', '--db', ws.db), modelEnv(standIn));
    expect(refused.code).toBe(2);
    expect(existsSync(ws.db)).toBe(true);
    const jobs = await rowfill(['jobs', '--json', '--db', ws.db], modelEnv(standIn));
    expect(jsonLines(jobs.stdout).map((j) => j.status)).toEqual(['completed']);
  });
});

describe.concurrent('temp files of the output', () => {
  it('removes the temp files a killed writer left beside the output, and only ours', async () => {
    const ws = setup();
    const standIn = await ctx.standIn();
    const dead = await deadPid();
    ws.write(`.brands.enriched.csv.${dead}.1a2b3c4d.tmp`, 'half a file');
    ws.write('.brands.enriched.csv.9f8e7d6c.tmp', 'half a file from an older version');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(ws.path('.brands.enriched.csv.9f8e7d6c.tmp'), hourAgo, hourAgo);
    ws.write('.brands.enriched.csv.notes.tmp', 'not ours');
    ws.write(`.other.csv.${dead}.1a2b3c4d.tmp`, 'another output of ours, not this one');

    const result = await rowfill(enrich(ws, '--db', ws.db), modelEnv(standIn));

    expect(result.code).toBe(0);
    expect(readCsv(ws.path('brands.enriched.csv')).map((r) => r.rowfill_status)).toEqual(['done', 'done', 'done']);
    expect(ws.files().filter((f) => f.endsWith('.tmp'))).toEqual(['.brands.enriched.csv.notes.tmp', `.other.csv.${dead}.1a2b3c4d.tmp`]);
  });
});

describe.concurrent('one process per real state file', () => {
  it('refuses a second process on the same --db reached through a symlink', async () => {
    const ws = setup();
    const standIn = await ctx.standIn({ latencyMs: 100 });
    ws.write('big.csv', brandsCsv(200));
    const first = spawnRowfill(['enrich', 'big.csv', '--input', 'Brand', ...OUTPUT_FLAGS, '--budget', '5', '--workers', '2', '--db', 'state.db', '--json'], { cwd: ws.dir, env: modelEnv(standIn) });
    ctx.track(first.child);
    await waitUntil(() => jsonLines(first.stdout()).some((l) => l.type === 'progress'), 'the first process to start its job', 30_000);
    const job = String(jsonLines(first.stdout())[0]?.jobId);
    symlinkSync(ws.db, ws.path('link.db'));
    mkdirSync(ws.path('sub'));

    for (const db of [ws.path('link.db'), `${ws.dir}/sub/../state.db`]) {
      const second = await rowfill(['resume', job, '--db', db], modelEnv(standIn));
      expect(second.code).toBe(2);
      expect(second.stderr).toBe(`rowfill: Another rowfill process (pid ${first.pid}) is using ${ws.db}; wait for it or stop it first.\n`);
    }
    first.child.kill('SIGINT');
    expect(await within(first.exited, 20_000, 'the first process to stop')).toBe(130);
    expect(statSync(ws.db).isFile()).toBe(true);
  });
});
