// Shared setup for the Google Sheets adapter tests: the stand-in, a real client per user, a fake clock, jobs and rows.
import type { sheets_v4 } from '@googleapis/sheets';
import { GoogleSheetsGateway } from '../../../../backend/src/adapters/google-sheets/index.js';
import type { Clock } from '../../../../backend/src/ports/clock.js';
import type { Job, Outputs, Row, RowStatus } from '../../../../backend/src/ports/domain.js';
import { ZERO_USAGE } from '../../../../backend/src/ports/domain.js';
import { standInSheetsClient } from '../../../../local/sheets/client.js';
import { startSheetsStandIn, type SheetsStandIn, type SheetsStandInOptions } from '../../../../local/sheets/server.js';

export const SERVICE_ACCOUNT = 'rowfill@demo-project.iam.gserviceaccount.com';

/** Time shared by the adapter and the stand-in's quota windows; sleeping advances it at once. */
export class FakeTime {
  t = 1_700_000_000_000;
  readonly sleeps: number[] = [];
  readonly clock: Clock = {
    now: () => this.t,
    sleep: (ms) => {
      this.sleeps.push(ms);
      this.t += Math.max(0, ms);
      return Promise.resolve();
    },
  };
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Harness {
  readonly standIn: SheetsStandIn;
  readonly sheets: sheets_v4.Sheets;
  readonly time: FakeTime;
  readonly gateway: GoogleSheetsGateway;
  close(): Promise<void>;
}

export async function harness(options: SheetsStandInOptions = {}, gatewayOptions: { idFactory?: () => string; minWriteIntervalMs?: number } = {}): Promise<Harness> {
  const time = new FakeTime();
  const standIn = await startSheetsStandIn({ now: () => time.t, ...options });
  const sheets = standInSheetsClient({ url: standIn.url, token: SERVICE_ACCOUNT });
  const gateway = new GoogleSheetsGateway({ sheets, serviceAccountEmail: SERVICE_ACCOUNT, clock: time.clock, ...gatewayOptions });
  return { standIn, sheets, time, gateway, close: () => standIn.close() };
}

/** Ids r1, r2, … so tests can name rows. */
export function sequentialIds(prefix = 'r'): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

export function job(overrides: Partial<Job> = {}): Job {
  return {
    id: 'job-1',
    owner: 'alice@example.com',
    target: { kind: 'sheet', spreadsheetId: 'x', sheetId: 0 },
    config: {
      inputs: ['Brand'],
      outputs: [
        { name: 'Category', instruction: 'Main category', type: 'text' },
        { name: 'Founded', instruction: 'Year founded', type: 'number' },
      ],
      model: 'gpt-4o-mini',
      workers: 4,
      budgetUsd: 1,
      maxAttempts: 3,
      maxOutputTokens: 400,
      attemptTimeoutMs: 30_000,
      attemptTimeoutCapMs: 120_000,
      force: false,
    },
    configHash: 'hash',
    status: 'running',
    pauseReason: null,
    message: null,
    budgetUsd: 1,
    createdAt: 0,
    updatedAt: 0,
    runningSince: 0,
    finishedAt: null,
    simulated: true,
    ...overrides,
  };
}

export function row(rowId: string, status: RowStatus, outputs: Outputs | null, overrides: Partial<Row> = {}): Row {
  return {
    jobId: 'job-1',
    rowId,
    rowNumber: 0,
    inputs: {},
    inputHash: 'h',
    status,
    dispatched: false,
    dispatchSeq: 0,
    attempt: 1,
    nextAttemptAt: 0,
    leaseUntil: null,
    reservedUsd: 0,
    outputs,
    cached: false,
    errorClass: null,
    errorMessage: null,
    usage: ZERO_USAGE,
    costUsd: 0,
    flushed: false,
    finishedAt: 0,
    ...overrides,
  };
}

export const BRANDS = [
  ['Brand', 'Website', 'Country'],
  ['Acme', 'acme.test', 'US'],
  ['Globex', 'globex.test', 'US'],
  ['Initech', 'initech.test', 'DE'],
  ['Umbrella', 'umbrella.test', 'FR'],
  ['Hooli', 'hooli.test', 'US'],
  ['Stark', 'stark.test', 'UK'],
];
