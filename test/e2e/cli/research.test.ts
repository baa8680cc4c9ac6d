// `rowfill enrich --research` end to end: the real bin/rowfill.js against a model stand-in and a search stand-in the
// test controls (their request logs are the truth), sources in rowfill_sources, the budget, faults, and bad flags.
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../../backend/src/kernel/models.js';
import { startSearchStandIn, type SearchStandIn, type SearchStandInOptions } from '../../../local/search/server.js';
import type { OpenAiStandIn } from '../../../local/openai/server.js';
import { brandsCsv, cliTestContext, jsonLines, linesOf, modelEnv, readCsv, rowfill, spawnRowfill, within, type Env, type Workspace } from '../../helpers/cli-harness.js';

const ctx = cliTestContext();
const searchStandIns: SearchStandIn[] = [];
afterAll(async () => {
  await Promise.all(searchStandIns.splice(0).map((s) => s.close()));
});

async function searchStandIn(options: SearchStandInOptions = {}): Promise<SearchStandIn> {
  const web = await startSearchStandIn(options);
  searchStandIns.push(web);
  return web;
}

/** The CLI pointed at both stand-ins: searches at TAVILY_BASE_URL, pages read from the same stand-in, never the web. */
function researchEnv(model: OpenAiStandIn, web: SearchStandIn): Env {
  return modelEnv(model, { TAVILY_API_KEY: 'tvly-test', TAVILY_BASE_URL: web.url, ROWFILL_STAND_IN_PAGES: '1' });
}

const OUTPUTS = ['--output', 'Founded:number=Year the brand was founded', '--output', 'Category=Main product category'];

function researchArgs(ws: Workspace, ...extra: string[]): string[] {
  return ['enrich', ws.path('brands.csv'), '--input', 'Brand', '--input', 'Country', ...OUTPUTS, '--research', '--db', ws.db, '--json', ...extra];
}

async function run(ws: Workspace, argv: string[], env: Env, what: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawnRowfill(argv, { cwd: ws.dir, env });
  ctx.track(child.child);
  const code = await within(child.exited, 110_000, what);
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

/** Every URL the search stand-in returns for `query` (its index is deterministic; 20 is the most a search can ask for). */
async function resultsOf(web: SearchStandIn, query: string): Promise<string[]> {
  const response = await fetch(`${web.url}/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer tvly-test' },
    body: JSON.stringify({ query, max_results: 20 }),
  });
  const body = (await response.json()) as { results: Array<{ url: string }> };
  return body.results.map((r) => r.url);
}

/**
 * For each brand, the URLs its own tool calls returned: the results of every query the stand-in logged for that row
 * (the model stand-in's queries start with the row's first input, then a space), and every page it served.
 */
async function urlsPerBrand(web: SearchStandIn, brands: readonly string[]): Promise<Map<string, Set<string>>> {
  const log = [...web.requestLog];
  web.configure({ searchFaults: { rateLimit: 0, error500: 0, quota: 0, slow: 0 }, latencyMs: 0 });
  const queries = [...new Set(log.filter((e) => e.kind === 'search' && e.status === 200).map((e) => e.target))];
  const results = new Map(await Promise.all(queries.map(async (q) => [q, await resultsOf(web, q)] as const)));
  const pages = log.filter((e) => e.kind === 'page' && e.status === 200).map((e) => e.target);
  const urls = new Map<string, Set<string>>();
  for (const brand of brands) {
    const own = new Set<string>();
    for (const [query, found] of results) if (query.startsWith(`${brand} `)) found.forEach((u) => own.add(u));
    // A page the row opened is one of its results; a redirect's final URL would be served here too.
    for (const page of pages) if (own.has(page)) own.add(page);
    urls.set(brand, own);
  }
  return urls;
}

function sourcesOf(row: Record<string, string>): string[] {
  return (row.rowfill_sources ?? '').split('\n').filter((u) => u.trim() !== '');
}

describe('rowfill enrich --research', () => {
  it('200 rows: every done row cites ≥ 1 URL that its own searches returned, and a fabricated citation never reaches the file', async () => {
    const ws = ctx.workspace();
    ws.write('brands.csv', brandsCsv(200));
    const model = await ctx.standIn({ faults: { fabricatedCitation: 0.05 } });
    const web = await searchStandIn();

    const result = await run(ws, researchArgs(ws, '--workers', '24', '--budget', '20', '--search-rpm', '20000'), researchEnv(model, web), 'a 200-row research run');

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = jsonLines(result.stdout).at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', status: 'completed', total: 200, searchSimulated: false });
    const rows = readCsv(ws.path('brands.enriched.csv'));
    expect(Object.keys(rows[0] ?? {})).toEqual(['Brand', 'Country', 'Founded', 'Category', 'rowfill_sources', 'rowfill_status', 'rowfill_error', 'rowfill_cost_usd']);
    const own = await urlsPerBrand(web, rows.map((r) => r.Brand ?? ''));
    const done = rows.filter((r) => r.rowfill_status === 'done');
    expect(done.length).toBeGreaterThan(190);
    for (const row of done) {
      const sources = sourcesOf(row);
      expect(sources.length, row.Brand).toBeGreaterThan(0);
      for (const url of sources) expect(own.get(row.Brand ?? '')?.has(url), `${row.Brand} cites ${url}`).toBe(true);
    }
    // The fault did happen, and what it invented was dropped (the row was repaired or failed output_invalid).
    expect(model.requestLog.filter((e) => e.fault === 'fabricatedCitation').length).toBeGreaterThan(0);
    expect(rows.some((r) => (r.rowfill_sources ?? '').includes('invented.example'))).toBe(false);
    for (const row of rows.filter((r) => r.rowfill_status !== 'done')) expect(row.rowfill_status, row.Brand).toMatch(/^failed/);
  }, 120_000);

  it('a run paused at its budget never spends more than it by the stand-ins’ own billing (model tokens priced + searches × $0.008)', async () => {
    const ws = ctx.workspace();
    ws.write('brands.csv', brandsCsv(200));
    const model = await ctx.standIn();
    const web = await searchStandIn();
    const budget = 0.12;

    const result = await run(ws, researchArgs(ws, '--workers', '16', '--budget', String(budget), '--search-rpm', '20000'), researchEnv(model, web), 'a budget-capped research run');

    expect(result.code).toBe(1);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ type: 'summary', status: 'paused', pauseReason: 'budget' });
    const price = DEFAULT_PRICES['gpt-4.1-mini']!;
    const billed = model.requestLog.filter((e) => e.billed);
    const modelUsd = billed.reduce((sum, e) => sum + (e.promptTokens * price.input + e.completionTokens * price.output) / 1_000_000, 0);
    const searchUsd = web.usage.searches * 0.008;
    expect(web.usage.searches).toBeGreaterThan(0);
    expect(modelUsd + searchUsd).toBeLessThanOrEqual(budget + 1e-9);
    const rows = readCsv(ws.path('brands.enriched.csv'));
    expect(rows.filter((r) => r.rowfill_status === 'done').length).toBeGreaterThan(0);
  }, 120_000);

  it('20% of searches 429/500 and 20% of pages slow or blocked: every row ends done or failed with a precise class', async () => {
    const ws = ctx.workspace();
    ws.write('brands.csv', brandsCsv(60));
    const model = await ctx.standIn();
    const web = await searchStandIn({ searchFaults: { rateLimit: 0.1, error500: 0.1 }, pageFaults: { slow: 0.1, blocked: 0.1 }, slowMs: 1500 });

    const result = await run(ws, researchArgs(ws, '--workers', '16', '--budget', '5', '--search-rpm', '20000'), researchEnv(model, web), 'a research run with faults');

    expect(result.code).toBe(0);
    const summary = jsonLines(result.stdout).at(-1)!;
    expect(summary).toMatchObject({ status: 'completed', total: 60, queued: 0, running: 0 });
    expect(web.requestLog.some((e) => e.fault === 'rateLimit' || e.fault === 'error500')).toBe(true);
    expect(web.requestLog.some((e) => e.fault === 'blocked' || e.fault === 'slow')).toBe(true);
    const precise = new Set(['search_rate_limit', 'search_server', 'output_invalid', 'rate_limit', 'server', 'timeout', 'connection']);
    for (const cls of Object.keys(summary.errorsByClass as Record<string, number>)) expect(precise.has(cls), cls).toBe(true);
    const rows = readCsv(ws.path('brands.enriched.csv'));
    for (const row of rows) {
      expect(row.rowfill_status, row.Brand).toMatch(/^(done|failed)/);
      if (row.rowfill_status === 'done') expect(sourcesOf(row).length + (row.Founded === '' && row.Category === '' ? 1 : 0), row.Brand).toBeGreaterThan(0);
      else expect(row.rowfill_error, row.Brand).not.toBe('');
    }
  }, 120_000);

  it('with no key, searches and pages come from the local stand-in and the run says simulated', async () => {
    const ws = ctx.workspace();
    ws.write('brands.csv', brandsCsv(3));
    const model = await ctx.standIn();

    const result = await run(ws, ['enrich', ws.path('brands.csv'), '--input', 'Brand', ...OUTPUTS, '--research', '--max-searches', '2', '--max-pages', '1', '--budget', '1', '--db', ws.db], modelEnv(model), 'a simulated research run');

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Search: simulated — web searches and pages come from the local search stand-in because TAVILY_API_KEY is not set.');
    expect(result.stderr).toContain('research: up to 2 searches and 1 pages a row');
    expect(result.stderr).toContain('[simulated search: local stand-in]');
    const rows = readCsv(ws.path('brands.enriched.csv'));
    for (const row of rows) {
      expect(row.rowfill_status).toBe('done');
      expect(sourcesOf(row).length).toBeGreaterThan(0);
    }
  }, 60_000);

  it('an XLSX research job gets a rowfill_sources column of text cells, one URL a line', async () => {
    const ws = ctx.workspace();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Brands');
    sheet.addRow(['Brand', 'Country']);
    for (const row of [['Patagonia', 'USA'], ['Nike', 'USA']]) sheet.addRow(row);
    await workbook.xlsx.writeFile(ws.path('brands.xlsx'));
    const model = await ctx.standIn();
    const web = await searchStandIn();

    const result = await rowfill(['enrich', ws.path('brands.xlsx'), '--input', 'Brand', ...OUTPUTS, '--research', '--budget', '1', '--db', ws.db], researchEnv(model, web));

    expect(result.code).toBe(0);
    const out = new ExcelJS.Workbook();
    await out.xlsx.readFile(ws.path('brands.enriched.xlsx'));
    const written = out.getWorksheet('Brands')!;
    const headers = (written.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(['Brand', 'Country', 'Founded', 'Category', 'rowfill_sources', 'rowfill_status', 'rowfill_error', 'rowfill_cost_usd']);
    for (const r of [2, 3]) {
      const sources = written.getRow(r).getCell(5).value;
      if (typeof sources !== 'string') throw new Error(`row ${r}: rowfill_sources is not a text cell`);
      const urls = sources.split('\n');
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls) expect(url).toMatch(/^http:\/\/[a-z-]+\.rowfill\.test:\d+\//);
      expect(written.getRow(r).getCell(6).value).toBe('done');
    }
  }, 60_000);
});

describe.concurrent('research flags', () => {
  const bad: Array<[string[], string]> = [
    [['--research', '--max-searches', '9'], 'rowfill: --max-searches must be between 1 and 8, got 9'],
    [['--research', '--max-searches', '0'], 'rowfill: --max-searches must be between 1 and 8, got 0'],
    [['--research', '--max-searches', 'two'], 'rowfill: --max-searches "two" is not a whole number'],
    [['--research', '--max-pages', '5'], 'rowfill: --max-pages must be between 0 and 4, got 5'],
    [['--research', '--max-pages', '1.5'], 'rowfill: --max-pages "1.5" is not a whole number'],
    [['--research', '--search-rpm', '0'], 'rowfill: --search-rpm must be greater than 0 and at most 100000, got 0'],
    [['--research', '--search-rpm', 'fast'], 'rowfill: --search-rpm "fast" is not a number'],
    [['--max-searches', '2'], 'rowfill: --max-searches applies to research mode only: add --research'],
    [['--max-pages', '1', '--search-rpm', '50'], 'rowfill: --max-pages, --search-rpm apply to research mode only: add --research'],
  ];
  for (const [flags, message] of bad) {
    it(`${flags.join(' ')} → exit 2, one line, nothing written`, async () => {
      const ws = ctx.workspace();
      ws.write('brands.csv', brandsCsv(2));
      for (const command of ['enrich', 'estimate']) {
        const result = await rowfill([command, ws.path('brands.csv'), '--input', 'Brand', '--output', 'Founded:number=Year founded', '--budget', '1', '--db', ws.db, ...flags]);
        expect(result.code).toBe(2);
        expect(linesOf(result.stderr)).toEqual([message]);
      }
      expect(ws.files()).toEqual(['brands.csv']);
    });
  }

  it('the real binary exits 2 with one line on a bad value', async () => {
    const ws = ctx.workspace();
    ws.write('brands.csv', brandsCsv(2));
    const result = await run(ws, ['enrich', ws.path('brands.csv'), '--input', 'Brand', '--output', 'F=x', '--budget', '1', '--research', '--max-pages', '-1', '--db', ws.db], {}, 'a refused run');
    expect(result.code).toBe(2);
    expect(linesOf(result.stderr)).toEqual(['rowfill: --max-pages must be between 0 and 4, got -1']);
    expect(ws.files()).toEqual(['brands.csv']);
  });

  it('estimate puts the searches inside the range and says how many at what price; --config carries the same options', async () => {
    const ws = ctx.workspace();
    ws.write('brands.csv', brandsCsv(10));
    const config = ws.write('rowfill.json', JSON.stringify({ input: 'Brand', output: ['Founded:number=Year founded'], research: true, maxSearches: 4, maxPages: 1 }));
    const model = await ctx.standIn();
    const plain = await rowfill(['estimate', ws.path('brands.csv'), '--input', 'Brand', '--output', 'Founded:number=Year founded', '--db', ws.db, '--json'], modelEnv(model));
    const researched = await rowfill(['estimate', ws.path('brands.csv'), '--config', config, '--db', ws.db, '--json'], modelEnv(model));
    const text = await rowfill(['estimate', ws.path('brands.csv'), '--config', config, '--db', ws.db], modelEnv(model));

    expect(researched.code).toBe(0);
    const p = jsonLines(plain.stdout)[0]!;
    const r = jsonLines(researched.stdout)[0]!;
    expect(r.research).toEqual({ maxSearchesPerRow: 4, maxPagesPerRow: 1, searchUsd: 0.008, searchesLow: 10, searchesHigh: 40, searchCostLowUsd: 0.08, searchCostHighUsd: 0.32 });
    expect(r.costLowUsd as number).toBeGreaterThan((p.costLowUsd as number) + 0.08 - 1e-9);
    expect(r.costHighUsd as number).toBeGreaterThan((p.costHighUsd as number) + 0.32 - 1e-9);
    expect(r.worstCaseUsd as number).toBeGreaterThanOrEqual(r.costHighUsd as number);
    expect(text.stdout).toContain('Research: 10 – 40 searches (1 – 4 a row at $0.0080 each: $0.0800 – $0.3200) and up to 1 pages a row, inside the range above');
    expect(text.stdout).toContain('Search: simulated — without TAVILY_API_KEY');
  });

  it('a plain job has no rowfill_sources column', async () => {
    const ws = ctx.workspace();
    ws.write('brands.csv', brandsCsv(2));
    const model = await ctx.standIn();
    const result = await rowfill(['enrich', ws.path('brands.csv'), '--input', 'Brand', '--output', 'F=x', '--budget', '1', '--db', ws.db], modelEnv(model));
    expect(result.code).toBe(0);
    expect(Object.keys(readCsv(ws.path('brands.enriched.csv'))[0] ?? {})).not.toContain('rowfill_sources');
  });
});
