// The deployment's Sheets quota governor end to end: four jobs on four spreadsheets, one low budget in Firestore, the
// production composition, and the Sheets stand-in counting per user and answering 429 over quota as Google does.
import { afterEach, describe, expect, it } from 'vitest';
import { FirestoreSheetsQuota, FirestoreStore } from '../../../backend/src/adapters/firestore/index.js';
import type { JobView } from '../../../backend/src/http/api-types.js';
import type { Clock } from '../../../backend/src/ports/clock.js';
import type { SheetsRequestLogEntry, Workbook } from '../../../local/sheets/index.js';
import { brandSheetRows, SHEET_JOB_CONFIG, writeProof } from '../../helpers/backend-client.js';
import { SHEETS_SA, USER, startCloudBackend, type CloudBackend } from '../../helpers/cloud-backend-harness.js';
import { emulatorClient, freshRootPath } from '../../setup/firestore-client.js';
import { firestoreEmulatorHost } from '../../setup/firestore-emulator-host.js';

const host = firestoreEmulatorHost();
/** Quota time runs this many times as fast as real time: a quota minute passes in 6 s, so the test stays short. */
const SPEED = 10;
const BUDGET = 20;
const JOBS = 4;
const ROWS = 30;

/** A clock for the gateway, the governor and the stand-in's quota windows, sped up SPEED times. */
function spedUpClock(): Clock {
  const start = Date.now();
  const base = 1_700_000_000_000;
  return {
    now: () => base + (Date.now() - start) * SPEED,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, Math.max(0, ms) / SPEED);
        signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason as Error)), { once: true });
      }),
  };
}

/** The most requests of one kind that fall in any 60-second window of the stand-in's clock. */
function busiestMinute(entries: readonly SheetsRequestLogEntry[]): number {
  const times = entries.map((e) => e.at).sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= 60_000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

async function settle(api: ReturnType<CloudBackend['as']>, id: string): Promise<JobView> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const { body } = await api.get<{ job: JobView }>(`/v1/jobs/${id}`);
    if (body.job.status === 'completed' || body.job.status === 'cancelled') return body.job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not settle: ${JSON.stringify(body.job.counts)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Data rows that read done (or done from the cache: the four sheets hold the same brands), with the answer for their own Brand. */
function doneOnOwnRows(workbook: Workbook): number {
  const table = workbook.values(`A1:Z${ROWS + 1}`);
  const header = table[0] ?? [];
  const [brand, category, status] = ['Brand', 'Category', 'rowfill_status'].map((name) => header.indexOf(name)) as [number, number, number];
  let done = 0;
  for (const row of table.slice(1)) {
    const text = (cell: unknown) => (typeof cell === 'string' ? cell : '');
    if (text(row[status]).startsWith('done') && text(row[category]).includes(text(row[brand]))) done++;
  }
  return done;
}

describe.skipIf(!host)('the Sheets quota governor over Firestore', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it(`keeps ${JOBS} jobs on ${JOBS} spreadsheets within ${BUDGET} reads and ${BUDGET} writes in every minute, with no 429, every row on its own row`, async () => {
    const firestore = emulatorClient(host!);
    const rootPath = freshRootPath('sheets-quota');
    const store = new FirestoreStore({ firestore, rootPath });
    const clock = spedUpClock();
    // A generous margin: a request granted at one moment reaches the stand-in some real ms later (more on a loaded
    // machine), which is SPEED times as long in quota time.
    const quota = new FirestoreSheetsQuota({ firestore, rootPath, readsPerMinute: BUDGET, writesPerMinute: BUDGET, clock, marginMs: 20_000 });
    const be = await startCloudBackend({ store, sheetsQuota: quota, sheetsClock: clock, sheetsReadsPerMinute: BUDGET, sheetsWritesPerMinute: BUDGET });
    cleanup = async () => {
      await be.close();
      await store.close();
      await firestore.recursiveDelete(firestore.doc(rootPath));
      await firestore.terminate();
    };
    const api = be.as(USER);
    const workbooks = Array.from({ length: JOBS }, (_, i) =>
      be.sheets.createSpreadsheet({ title: `Brands ${i}`, tabs: [{ title: 'Brands', sheetId: 0 }], rows: brandSheetRows(ROWS), sharedWith: [SHEETS_SA] }),
    );
    const started = await Promise.all(
      workbooks.map((w) =>
        api.post<{ job: JobView }>('/v1/jobs', { spreadsheetId: w.id, sheetId: 0, ranges: [`A2:C${ROWS + 1}`], headerRow: 1, config: { ...SHEET_JOB_CONFIG, workers: 8 }, proofNonce: writeProof(w) }),
      ),
    );
    expect(started.map((r) => r.status)).toEqual(Array(JOBS).fill(202));
    const jobs = await Promise.all(started.map((r) => settle(api, r.body.job.id)));
    expect(jobs.map((j) => [j.status, j.counts.done])).toEqual(Array(JOBS).fill(['completed', ROWS]));
    expect(workbooks.map(doneOnOwnRows)).toEqual(Array(JOBS).fill(ROWS));
    const log = be.sheets.requestLog.filter((e) => e.user === SHEETS_SA);
    expect(log.filter((e) => e.status === 429)).toEqual([]);
    expect(busiestMinute(log.filter((e) => e.kind === 'read'))).toBeLessThanOrEqual(BUDGET);
    expect(busiestMinute(log.filter((e) => e.kind === 'write'))).toBeLessThanOrEqual(BUDGET);
  }, 200_000);
});
