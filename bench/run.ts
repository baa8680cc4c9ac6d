// `npm run bench`: the scenarios of DESIGN §8, one markdown table on stdout, the same in bench/results/latest.{md,json}.
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { includes, parseBenchArgs, type BenchPlan } from './lib/args.js';
import { describeMachine } from './lib/machine.js';
import type { ResultRow } from './lib/measurement.js';
import { RESULTS_DIR, saveReport } from './lib/report-files.js';
import { markdownTable } from './lib/table.js';
import { cloudConditions, cloudTable, cloudTargetLines } from './cloud/report.js';
import { cloudMeasurements, runCloud, type CloudResult } from './cloud/scenario.js';
import { targetLines } from './lib/targets.js';
import { runOverhead } from './overhead/scenario.js';
import { runRateBound } from './rate-bound/scenario.js';
import { JITTER_MS, LATENCY_MS, RPM, TPM, WORKERS } from './rate-bound/settings.js';
import { RESEARCH_MODEL_RPM, runResearch, SEARCH_LATENCY_MS, SEARCH_RPM } from './research/scenario.js';
import { runShortJob, SHORT_JOB_ROWS, SHORT_JOB_RPM } from './short-job/scenario.js';
import { cheapConditions, cheapTable, cheapTargetLines, runCheap, type CheapResult } from './cheap/scenario.js';
import { runStartup, startupTable, startupTargetLine, type StartupResult } from './startup/scenario.js';

/** The whole default run must fit in 15 minutes; the optional million-row case is dropped if it would not. */
const TIME_BUDGET_MS = 15 * 60_000;

const progress = (line: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

function conditions(plan: BenchPlan, cloud: CloudResult | undefined): string[] {
  const lines: string[] = [];
  if (includes(plan, 'rate-bound')) {
    lines.push(
      `- rate-bound: ${plan.rateRows.toLocaleString('en-US')} rows; each contender gets a fresh OpenAI stand-in at ${RPM} requests/min and ${TPM.toLocaleString('en-US')} tokens/min (burst 1 s), latency ${LATENCY_MS / 1000} s ± ${JITTER_MS / 1000} s; Rowfill runs ${WORKERS} workers; bound = max(rows ÷ rpm, rows × tokens ÷ tpm, rows × latency ÷ workers). Baselines write their CSV as a script would: sequential per row, chunk-and-wait per chunk, unthrottled once.`,
    );
  }
  if (includes(plan, 'overhead')) {
    lines.push(`- engine overhead: instant in-process model, SQLite store + local queue on a temp file, 50 workers, no rate limits; makespan = read CSV → job settled → CSV written; each case in its own child process.`);
  }
  if (includes(plan, 'short-job')) {
    lines.push(`- short job: the compiled \`rowfill enrich\` from spawn to exit on ${SHORT_JOB_ROWS} rows, against a fresh stand-in at ${SHORT_JOB_RPM} requests/min (no tokens/min limit, burst 1 s), latency ${LATENCY_MS / 1000} s ± ${JITTER_MS / 1000} s, ${WORKERS} workers, \`--rpm ${SHORT_JOB_RPM}\`; bound = rows ÷ rpm.`);
  }
  if (includes(plan, 'research')) {
    lines.push(
      `- research: the compiled \`rowfill enrich --research\` (3 searches, 2 pages a row allowed) from spawn to exit on ${plan.researchRows.toLocaleString('en-US')} rows, against a search stand-in at ${SEARCH_RPM} requests/min (burst 1 s) answering in ${SEARCH_LATENCY_MS / 1000} s with its pages on loopback, and a model stand-in at ${RESEARCH_MODEL_RPM} requests/min (no tokens/min limit), latency ${LATENCY_MS / 1000} s ± ${JITTER_MS / 1000} s; ${WORKERS} workers, \`--search-rpm ${SEARCH_RPM}\`; bound = max(searches ÷ search rate, model calls ÷ model rate, work ÷ workers). The second run is the same job with \`--force\` on the same state file: its searches and pages come from the cache.`,
    );
  }
  if (includes(plan, 'startup')) {
    lines.push(`- start-up: wall time from spawn, median of several runs after one warm-up; \`status\` and \`jobs\` read a state file holding one finished ${plan.startupRows.toLocaleString('en-US')}-row job; the server is backend/src/http/server.ts in cloud mode (nothing contacted) polled on /healthz every 10 ms. Both columns run today's code (commands load their modules lazily); only the loader differs.`);
  }
  if (cloud) lines.push(cloudConditions(cloud));
  if (includes(plan, 'cheap')) lines.push(cheapConditions(plan.cheap));
  return lines;
}

async function main(): Promise<void> {
  const plan = parseBenchArgs(process.argv.slice(2));
  const started = Date.now();
  const machine = describeMachine();
  const date = new Date(started).toISOString();
  const loadAtStart = loadavg()[0] ?? 0;
  const rows: ResultRow[] = [];
  let startup: StartupResult | undefined;
  if (includes(plan, 'startup')) startup = await runStartup({ stateRows: plan.startupRows }, progress);
  if (includes(plan, 'short-job')) rows.push(await runShortJob(progress));
  if (includes(plan, 'research')) rows.push(...(await runResearch(progress, plan.researchRows)));
  let cloud: CloudResult | undefined;
  if (includes(plan, 'cloud')) {
    cloud = await runCloud(plan.cloud, progress);
    rows.push(...cloudMeasurements(cloud));
  }
  let cheap: CheapResult | undefined;
  if (includes(plan, 'cheap')) cheap = await runCheap(plan.cheap, progress);
  if (includes(plan, 'rate-bound')) {
    rows.push(...(await runRateBound({ rows: plan.rateRows, samples: plan.samples }, progress)));
  }
  if (includes(plan, 'overhead')) {
    const cpuProfDir = plan.profile ? `${RESULTS_DIR}profiles` : undefined;
    if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
    rows.push(...(await runOverhead({ rows: plan.overheadRows, million: plan.million, deadline: started + TIME_BUDGET_MS - 30_000, cpuProfDir }, progress)));
  }
  const elapsedS = Math.round((Date.now() - started) / 1000);
  const markdown = [
    `# Rowfill bench${plan.quick ? ' (quick)' : ''}`,
    '',
    `- date: ${date}`,
    `- machine: ${machine.cpu} · ${machine.cores} cores · ${machine.ramGb} GB RAM · Node ${machine.node}`,
    `- command: npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''} (took ${elapsedS} s)`,
    // Timings are only as good as the machine's quiet: other work on the same cores shows up here.
    `- load average (1 min): ${loadAtStart.toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at end, on ${machine.cores} cores`,
    ...conditions(plan, cloud),
    '',
    ...(rows.length > 0 ? [markdownTable(rows), ''] : []),
    ...(startup ? [startupTable(startup), ''] : []),
    ...(cloud ? [cloudTable(cloud), ''] : []),
    ...(cheap ? [cheapTable(cheap), ''] : []),
    'Targets (reported, not enforced):',
    '',
    ...targetLines(rows, plan.overheadRows),
    ...(startup ? [startupTargetLine(startup) ?? '- start-up: `rowfill --version` failed'] : []),
    ...(cloud ? cloudTargetLines(cloud) : []),
    ...(cheap ? cheapTargetLines(cheap) : []),
    '',
  ].join('\n');
  process.stdout.write(markdown);
  saveReport(markdown, { date, machine, plan, elapsedMs: Date.now() - started, results: rows, ...(startup ? { startup } : {}), ...(cloud ? { cloud } : {}), ...(cheap ? { cheap } : {}) });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
