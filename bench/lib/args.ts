// Parses `npm run bench -- [flags]` into a plan: which scenarios, how many rows, which samples, whether to run 1M.
import { parseArgs } from 'node:util';
import type { ContenderName } from '../rate-bound/contender.js';

export type ScenarioChoice = 'rate-bound' | 'overhead' | 'startup' | 'short-job' | 'research' | 'all';

const SCENARIOS: readonly ScenarioChoice[] = ['rate-bound', 'overhead', 'startup', 'short-job', 'research', 'all'];

/** Whether the plan includes one scenario. */
export function includes(plan: { readonly scenario: ScenarioChoice }, scenario: Exclude<ScenarioChoice, 'all'>): boolean {
  // Research alone takes over 20 minutes (2,000 searches at 100 a minute, twice): only when asked for by name.
  if (scenario === 'research') return plan.scenario === 'research';
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
  readonly million: 'yes' | 'no' | 'auto';
  readonly profile: boolean;
  readonly quick: boolean;
}

export const USAGE = `npm run bench -- [--rows N] [--scenario rate-bound|overhead|startup|short-job|research|all] [--research-rows N] [--million] [--quick] [--profile]
  --rows N      rate-bound rows (default 5000; 500 with --quick)
  --scenario    which scenario to run (default all; research runs only when named: it takes over 20 minutes)
  --research-rows N  research scenario rows (default 1000; 100 with --quick)
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
    million: values.million ? 'yes' : quick ? 'no' : 'auto',
    profile: values.profile,
    quick,
  };
}
