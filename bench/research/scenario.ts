// The research scenario (issue 10): `rowfill enrich --research` on 1,000 rows against a search stand-in at 100 requests/min
// with 1 s latency and a model stand-in at 600 requests/min, then the same job again (--force) to read the search cache.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../local/openai/server.js';
import { startSearchStandIn, type SearchStandIn } from '../../local/search/server.js';
import { seconds } from '../lib/format.js';
import { writeInputCsv } from '../lib/input-csv.js';
import { INPUTS, MODEL, OUTPUTS } from '../lib/job-config.js';
import type { Measurement } from '../lib/measurement.js';
import { JITTER_MS, LATENCY_MS, WORKERS } from '../rate-bound/settings.js';
import { watchChildPeakRss } from '../lib/peak-rss.js';

export const SCENARIO = 'research';
export const RESEARCH_ROWS = 1000;
export const SEARCH_RPM = 100;
export const SEARCH_LATENCY_MS = 1000;
export const RESEARCH_MODEL_RPM = 600;

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface RunCounts {
  readonly makespanMs: number;
  readonly peakRssBytes: number;
  readonly modelCalls: number;
  readonly modelAnswered: number;
  readonly model429: number;
  /** Σ of the model stand-in's simulated latency over answered calls, ms. */
  readonly modelLatencyMs: number;
  readonly searches: number;
  readonly searchRequests: number;
  readonly search429: number;
  readonly pages: number;
  readonly doneRows: number;
}

/** One `rowfill enrich --research` from spawn to exit; what the stand-ins saw during it, read from their own logs. */
async function runOnce(model: OpenAiStandIn, web: SearchStandIn, dir: string, rows: number, extra: readonly string[]): Promise<RunCounts> {
  const modelFrom = model.requestLog.length;
  const searchFrom = web.requestLog.length;
  const billingBefore = web.usage;
  const args = [
    'bin/rowfill.js', 'enrich', join(dir, 'input.csv'),
    ...INPUTS.flatMap((c) => ['--input', c]),
    ...OUTPUTS.map((o) => ['--output', `${o.name}${'type' in o ? `:${o.type}` : ''}=${o.instruction}`]).flat(),
    '--research', '--model', MODEL, '--workers', String(WORKERS), '--rpm', String(RESEARCH_MODEL_RPM), '--search-rpm', String(SEARCH_RPM),
    '--budget', '1000', '--db', join(dir, 'rowfill.db'), '--json', ...extra,
  ];
  const env = {
    ...process.env,
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: model.url,
    TAVILY_API_KEY: 'tvly-bench',
    TAVILY_BASE_URL: web.url,
    ROWFILL_STAND_IN_PAGES: '1',
    ROWFILL_LOG_LEVEL: 'silent',
  };
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const peakRss = watchChildPeakRss(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A hang guard: three times the search bound at 3 searches a row, plus a minute.
  const timer = setTimeout(() => child.kill('SIGKILL'), ((rows * 3) / SEARCH_RPM) * 60_000 * 3 + 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  const peakRssBytes = peakRss();
  const makespanMs = performance.now() - started;
  if (code !== 0) throw new Error(`rowfill enrich --research exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
  const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { done?: number };
  const modelLog = model.requestLog.slice(modelFrom);
  const searchLog = web.requestLog.slice(searchFrom);
  const billing = web.usage;
  return {
    makespanMs,
    peakRssBytes,
    modelCalls: modelLog.length,
    modelAnswered: modelLog.filter((e) => e.billed).length,
    model429: modelLog.filter((e) => e.status === 429).length,
    modelLatencyMs: modelLog.filter((e) => e.billed).reduce((sum, e) => sum + e.latencyMs, 0),
    searches: billing.searches - billingBefore.searches,
    searchRequests: searchLog.filter((e) => e.kind === 'search').length,
    search429: searchLog.filter((e) => e.kind === 'search' && e.status === 429).length,
    pages: billing.pages - billingBefore.pages,
    doneRows: summary.done ?? 0,
  };
}

/** max(searches ÷ search rate, model calls ÷ model rate, work ÷ workers): work is every answered call's latency and every search's. */
function boundMs(c: RunCounts): number {
  const searchBound = (c.searches / SEARCH_RPM) * 60_000;
  const modelBound = (c.modelAnswered / RESEARCH_MODEL_RPM) * 60_000;
  const workBound = (c.modelLatencyMs + c.searches * SEARCH_LATENCY_MS) / WORKERS;
  return Math.max(searchBound, modelBound, workBound);
}

function measurement(contender: string, rows: number, c: RunCounts, notes: string[]): Measurement {
  return {
    scenario: SCENARIO,
    contender,
    rows,
    measuredRows: rows,
    measuredMakespanMs: c.makespanMs,
    makespanMs: c.makespanMs,
    boundMs: boundMs(c),
    modelCalls: c.modelCalls,
    rateLimited: c.model429 + c.search429,
    writeCalls: 1,
    peakRssBytes: c.peakRssBytes,
    failedRows: Math.max(0, rows - c.doneRows),
    notes: [
      `${c.searches} searches billed (${(c.searches / rows).toFixed(2)} a row), ${c.searchRequests} search requests, ${c.search429} search 429s`,
      `${c.modelAnswered} model calls answered (${(c.modelAnswered / rows).toFixed(2)} a row), ${c.model429} model 429s, ${c.pages} pages served`,
      `bound = max(searches ÷ ${SEARCH_RPM}/min ${seconds((c.searches / SEARCH_RPM) * 60_000)}, model calls ÷ ${RESEARCH_MODEL_RPM}/min ${seconds((c.modelAnswered / RESEARCH_MODEL_RPM) * 60_000)}, work ÷ ${WORKERS} workers ${seconds((c.modelLatencyMs + c.searches * SEARCH_LATENCY_MS) / WORKERS)})`,
      ...notes,
    ],
  };
}

/** Two runs over the same state file: the first researches every row; the second (--force) finds its searches and pages cached. */
export async function runResearch(progress: (line: string) => void, rows = RESEARCH_ROWS): Promise<Measurement[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-bench-research-'));
  const [model, web] = await Promise.all([
    startOpenAiStandIn({ rpm: RESEARCH_MODEL_RPM, tpm: null, burstSeconds: 1, latencyMs: LATENCY_MS, jitterMs: JITTER_MS, seed: 7 }),
    startSearchStandIn({ rpm: SEARCH_RPM, burstSeconds: 1, latencyMs: SEARCH_LATENCY_MS, seed: 7 }),
  ]);
  try {
    await writeInputCsv(join(dir, 'input.csv'), rows);
    progress(`research: rowfill enrich --research, ${rows} rows, searches at ${SEARCH_RPM}/min and ${SEARCH_LATENCY_MS} ms, model at ${RESEARCH_MODEL_RPM}/min…`);
    const first = await runOnce(model, web, dir, rows, ['--out', join(dir, 'out-1.csv')]);
    progress(`research: first run ${seconds(first.makespanMs)}; the same rows again with --force (searches and pages cached)…`);
    const second = await runOnce(model, web, dir, rows, ['--out', join(dir, 'out-2.csv'), '--force']);
    const searchHit = first.searches === 0 ? 0 : 1 - second.searches / first.searches;
    const pageHit = first.pages === 0 ? 0 : 1 - second.pages / first.pages;
    return [
      measurement('Rowfill (first run)', rows, first, []),
      measurement('Rowfill (second run, --force)', rows, second, [
        `cache hit rate: searches ${(searchHit * 100).toFixed(1)}% (${second.searches} of ${first.searches} billed again), pages ${(pageHit * 100).toFixed(1)}%`,
      ]),
    ];
  } finally {
    await Promise.all([model.close(), web.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
