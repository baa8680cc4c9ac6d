// The cloud scenario's fixed conditions (issue 12 item 4): model limits, sizes, queue and Sheets quotas, identities.
import { loadServerConfig } from '../../backend/src/config.js';

export const SCENARIO = 'cloud';

/** (a) one job: rows, at 10,000 requests/min, latency 1 s ± 0.5 s. */
export const CLOUD_ROWS = 20_000;
export const CLOUD_RPM = 10_000;
export const CLOUD_LATENCY_MS = 1000;
export const CLOUD_JITTER_MS = 500;
/** (b) jobs at once, each on its own spreadsheet. */
export const MULTI_JOBS = 10;
export const MULTI_ROWS = 2000;
/** The cases `--cloud-cases` picks from: (a) on SQLite, (a) on Firestore, (b). */
export type CloudCaseChoice = 'a-sqlite' | 'a-firestore' | 'b';
export const CLOUD_CASES: readonly CloudCaseChoice[] = ['a-sqlite', 'a-firestore', 'b'];
/** --quick: a smoke run that still crosses a few flushes. */
export const QUICK = { rows: 600, jobs: 3, jobRows: 200 } as const;

const SERVER = loadServerConfig({}).server;

/**
 * Workers a job asks for (`--cloud-workers`): by default the most the server allows, "auto" — as many rows in flight
 * as the rate limits serve, up to ROWFILL_MAX_IN_FLIGHT.
 */
export const DEFAULT_WORKERS: number | 'auto' = 'auto';

/** ROWFILL_MAX_IN_FLIGHT's default: the window an "auto" job may grow to. */
export const MAX_IN_FLIGHT: number = SERVER.maxInFlight;

/** ROWFILL_MAX_WORKERS's default: the most a job may ask for by number. */
export const MAX_WORKERS: number = SERVER.maxWorkers;

/**
 * The queue as `gcloud tasks queues create` leaves it without settings (500 dispatches/s, 1,000 concurrent), not
 * cloudbuild.yaml's 20/s: at 10,000 requests/min rows need ≥ 167 dispatches a second (docs/deploy.md, quotas).
 */
export const QUEUE = { maxDispatchesPerSecond: 500, maxConcurrentDispatches: 1000, minBackoffMs: 1000, maxBackoffMs: 60_000 } as const;
export const QUEUE_PATH = 'projects/rowfill-bench/locations/europe-west1/queues/rowfill-rows';

/**
 * compose/cloud.ts's SHEETS_WRITE_INTERVAL_MS (not exported): the least time between two writes to one spreadsheet from
 * one instance. The deployment's Sheets budget is the governor's (ROWFILL_SHEETS_*_PER_MINUTE).
 */
export const SHEETS_WRITE_INTERVAL_MS = 1000;

/** Google's default per-user Sheets quotas; a governor configured through these variables is measured against its own. */
export function sheetsQuota(env: NodeJS.ProcessEnv = process.env): { readonly readsPerMinute: number; readonly writesPerMinute: number } {
  const read = (name: string): number => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value > 0 ? value : 60;
  };
  return { readsPerMinute: read('ROWFILL_SHEETS_READS_PER_MINUTE'), writesPerMinute: read('ROWFILL_SHEETS_WRITES_PER_MINUTE') };
}

export const ADDON_CLIENT_ID = 'rowfill-bench.apps.googleusercontent.com';
export const TASKS_SA = 'rowfill-tasks@rowfill-bench.iam.gserviceaccount.com';
export const SHEETS_SA = 'rowfill@rowfill-bench.iam.gserviceaccount.com';
export const USER = 'ada@example.com';
export const BUDGET_USD = 1000;

/** The parent posts here when it has read everything it needs: the backend stops and reports. */
export const FINISH_PATH = '/bench/finish';

/** What each job asks for, as the sidebar sends it (plus the model's known limit, as `--rpm` does on the CLI). */
export function jobConfig(workers: number | 'auto'): Record<string, unknown> {
  return {
    inputs: ['Brand', 'Country'],
    outputs: [
      { name: 'Category', instruction: 'Main product category' },
      { name: 'Founded', instruction: 'Year the brand was founded', type: 'number' },
    ],
    model: 'gpt-4.1-mini',
    workers,
    budgetUsd: BUDGET_USD,
    rpm: CLOUD_RPM,
  };
}
