// Parses `npm run bench -- [flags]` into a plan: which scenarios, how many rows, which samples, whether to run 1M.
import { parseArgs } from 'node:util';
import { CLOUD_CASES, CLOUD_ROWS, DEFAULT_WORKERS, type CloudCaseChoice, MAX_WORKERS, MULTI_JOBS, MULTI_ROWS, QUICK as CLOUD_QUICK } from '../cloud/settings.js';
import type { ContenderName } from '../rate-bound/contender.js';

export type ScenarioChoice = 'rate-bound' | 'overhead' | 'startup' | 'short-job' | 'research' | 'cloud' | 'cheap' | 'all';

const SCENARIOS: readonly ScenarioChoice[] = ['rate-bound', 'overhead', 'startup', 'short-job', 'research', 'cloud', 'cheap', 'all'];

/** Whether the plan includes one scenario. */
export function includes(plan: { readonly scenario: ScenarioChoice }, scenario: Exclude<ScenarioChoice, 'all'>): boolean {
  // Research alone takes over 20 minutes (2,000 searches at 100 a minute, twice): only when asked for by name.
  if (scenario === 'research') return plan.scenario === 'research';
  // Cloud starts a JVM (the Firestore emulator) and runs 60,000 rows at full size: only when asked for by name too.
  if (scenario === 'cloud') return plan.scenario === 'cloud';
  return plan.scenario === 'all' || plan.scenario === scenario;
}

export interface BenchPlan {
  readonly scenario: ScenarioChoice;
  readonly rateRows: number;
  readonly samples: Readonly<Record<ContenderName, number>>;
  readonly overheadRows: number;
  /** Rows of the finished job in the state file `rowfill status` reads in the start-up scenario. */
  readonly startupRows: number;
  /** Rows of the research scenario. */
  readonly researchRows: number;
  /** The cloud scenario's sizes: (a) rows of the one job; (b) jobs at once and rows in each; workers a job asks for. */
  readonly cloud: { readonly rows: number; readonly jobs: number; readonly jobRows: number; readonly workers: number | 'auto'; readonly cases: readonly CloudCaseChoice[] };
  /** The cheap scenario's sizes: rows of the job run in fast and in cheap mode; rows of the packing cases. */
  readonly cheap: { readonly rows: number; readonly packRows: number };
  readonly million: 'yes' | 'no' | 'auto';
  readonly profile: boolean;
  readonly quick: boolean;
}

export const USAGE = `npm run bench -- [--rows N] [--scenario rate-bound|overhead|startup|short-job|research|cloud|cheap|all] [--research-rows N] [--cloud-rows N] [--cloud-jobs N] [--cloud-job-rows N] [--cloud-workers N|auto] [--cloud-cases a-sqlite,a-firestore,b] [--cheap-rows N] [--pack-rows N] [--million] [--quick] [--profile]
  --rows N      rate-bound rows (default 5000; 500 with --quick)
  --scenario    which scenario to run (default all; research and cloud run only when named: each takes over 20 minutes)
  --research-rows N  research scenario rows (default 1000; 100 with --quick)
  --cloud-rows N     cloud scenario (a): rows of the one job (default ${CLOUD_ROWS}; ${CLOUD_QUICK.rows} with --quick)
  --cloud-jobs N     cloud scenario (b): jobs at once, each on its own spreadsheet (default ${MULTI_JOBS}; ${CLOUD_QUICK.jobs} with --quick)
  --cloud-job-rows N cloud scenario (b): rows in each job (default ${MULTI_ROWS}; ${CLOUD_QUICK.jobRows} with --quick)
  --cloud-workers N|auto  workers each cloud job asks for (default ${DEFAULT_WORKERS}: the most the server allows)
  --cloud-cases LIST cloud cases to run, comma-separated (default all: ${CLOUD_CASES.join(',')})
  --cheap-rows N     cheap scenario: rows of the job run once in fast and once in cheap mode (default 1000; 200 with --quick)
  --pack-rows N      cheap scenario: rows packed (and uploaded) into batch files (default 100000; 10000 with --quick)
  --million     also run engine overhead on 1,000,000 rows (default: only if it fits the 15-minute budget)
  --quick       smoke run: rate-bound 500 rows, overhead 10,000 rows, start-up state file 10,000 rows, small baseline samples
  --profile     write V8 CPU profiles of the engine-overhead runs to bench/results/profiles/`;

/** Baseline samples: small enough that the default run fits 15 minutes on 2 cores; the rest is extrapolated. */
const SAMPLES = { sequential: 150, 'chunk-and-wait': 500, unthrottled: 1000 } as const;
const QUICK_SAMPLES = { sequential: 40, 'chunk-and-wait': 200, unthrottled: 300 } as const;

export function parseBenchArgs(argv: readonly string[]): BenchPlan {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rows: { type: 'string' },
      'research-rows': { type: 'string' },
      'cloud-rows': { type: 'string' },
      'cloud-jobs': { type: 'string' },
      'cloud-job-rows': { type: 'string' },
      'cloud-workers': { type: 'string' },
      'cloud-cases': { type: 'string' },
      'cheap-rows': { type: 'string' },
      'pack-rows': { type: 'string' },
      scenario: { type: 'string', default: 'all' },
      million: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new Error(USAGE);
  const scenario = values.scenario;
  if (!SCENARIOS.includes(scenario as ScenarioChoice)) throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}, got "${scenario}"\n${USAGE}`);
  const quick = values.quick;
  const rateRows = values.rows === undefined ? (quick ? 500 : 5000) : Number(values.rows);
  if (!Number.isInteger(rateRows) || rateRows < 10 || rateRows > 1_000_000) throw new Error(`--rows must be a whole number from 10 to 1,000,000, got "${values.rows}"`);
  const researchRows = values['research-rows'] === undefined ? (quick ? 100 : 1000) : Number(values['research-rows']);
  if (!Number.isInteger(researchRows) || researchRows < 10 || researchRows > 100_000) throw new Error(`--research-rows must be a whole number from 10 to 100,000, got "${values['research-rows']}"`);
  const cloud = {
    rows: wholeNumber('--cloud-rows', values['cloud-rows'], quick ? CLOUD_QUICK.rows : CLOUD_ROWS, 10, 1_000_000),
    jobs: wholeNumber('--cloud-jobs', values['cloud-jobs'], quick ? CLOUD_QUICK.jobs : MULTI_JOBS, 2, 100),
    jobRows: wholeNumber('--cloud-job-rows', values['cloud-job-rows'], quick ? CLOUD_QUICK.jobRows : MULTI_ROWS, 10, 1_000_000),
    cases: cloudCases(values['cloud-cases']),
    workers: values['cloud-workers'] === undefined ? DEFAULT_WORKERS : values['cloud-workers'] === 'auto' ? ('auto' as const) : wholeNumber('--cloud-workers', values['cloud-workers'], MAX_WORKERS, 1, 1000),
  };
  const base = quick ? QUICK_SAMPLES : SAMPLES;
  return {
    scenario: scenario as ScenarioChoice,
    rateRows,
    samples: {
      rowfill: rateRows,
      sequential: Math.min(rateRows, base.sequential),
      'chunk-and-wait': Math.min(rateRows, base['chunk-and-wait']),
      unthrottled: Math.min(rateRows, base.unthrottled),
    },
    overheadRows: quick ? 10_000 : 100_000,
    startupRows: quick ? 10_000 : 100_000,
    researchRows,
    cloud,
    cheap: {
      rows: wholeNumber('--cheap-rows', values['cheap-rows'], quick ? 200 : 1000, 10, 100_000),
      packRows: wholeNumber('--pack-rows', values['pack-rows'], quick ? 10_000 : 100_000, 10, 1_000_000),
    },
    million: values.million ? 'yes' : quick ? 'no' : 'auto',
    profile: values.profile,
    quick,
  };
}

function wholeNumber(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, got "${text}"`);
  return n;
}

function cloudCases(text: string | undefined): CloudCaseChoice[] {
  if (text === undefined) return [...CLOUD_CASES];
  const cases = text.split(',').map((c) => c.trim());
  const bad = cases.filter((c) => !CLOUD_CASES.includes(c as CloudCaseChoice));
  if (bad.length > 0 || cases.length === 0) throw new Error(`--cloud-cases must list some of ${CLOUD_CASES.join(', ')}, got "${text}"`);
  return cases as CloudCaseChoice[];
}
