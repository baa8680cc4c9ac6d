// The cloud scenario (issue 12 item 4): compose/cloud.ts over Firestore's emulator and over SQLite, driven as the add-on does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobView } from '../../backend/src/http/api-types.js';
import { startCloudTasksStandIn, type CloudTasksStandIn } from '../../local/cloud-tasks/server.js';
import { startGoogleAuthStandIn, type GoogleAuthStandIn } from '../../local/google-auth/server.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../local/openai/server.js';
import { startSheetsStandIn, type SheetsStandIn, type Workbook } from '../../local/sheets/index.js';
import { runChild } from '../lib/child-process.js';
import { hasGcloud, startFirestoreEmulator, type BenchEmulator } from '../lib/firestore-emulator.js';
import { codeState } from '../lib/git-state.js';
import { int, seconds } from '../lib/format.js';
import type { Measurement, ResultRow } from '../lib/measurement.js';
import type { BackendChildInput, BackendChildResult } from './backend-child.js';
import type { FirestoreCounts } from './firestore-counter.js';
import { boundMs, modelTraffic, sheetsTraffic, type ModelTraffic, type SheetsTraffic } from './request-stats.js';
import {
  ADDON_CLIENT_ID,
  CLOUD_JITTER_MS,
  CLOUD_LATENCY_MS,
  CLOUD_RPM,
  FINISH_PATH,
  jobConfig,
  MAX_IN_FLIGHT,
  type CloudCaseChoice,
  QUEUE,
  QUEUE_PATH,
  SCENARIO,
  SHEETS_SA,
  sheetsQuota,
  USER,
} from './settings.js';
import { checkSheet, createBenchSheet, showsStatus, writeProof, type SheetCheck } from './sheet-checks.js';
import { freePort } from '../lib/free-port.js';

export interface CloudPlan {
  /** (a) rows of the one job. */
  readonly rows: number;
  /** (b) jobs at once, and rows in each. */
  readonly jobs: number;
  readonly jobRows: number;
  readonly workers: number | 'auto';
  /** Which cases run: (a) on SQLite, (a) on Firestore, (b). */
  readonly cases: readonly CloudCaseChoice[];
}


export interface CloudCase {
  readonly name: string;
  readonly store: 'sqlite' | 'firestore';
  readonly jobs: number;
  readonly rowsPerJob: number;
  /** Workers each job ran with, as the API reported ('auto': as many as the limits allow). */
  readonly workers: number | 'auto';
  /** From the first POST /v1/jobs to the last job's finishedAt. */
  readonly makespanMs: number;
  readonly boundMs: number;
  /** Per job: POST → first status visible in its sheet; null when none showed. */
  readonly firstStatusMs: readonly (number | null)[];
  /** Per job: POST → finishedAt. */
  readonly jobMakespansMs: readonly number[];
  /** Per job: starts refused 429 (Sheets quota) before one was accepted. */
  readonly startsRefused: readonly number[];
  /** Σ model latency ÷ makespan: how many of the window's rows were at the model on average. */
  readonly meanAtModel: number;
  readonly sheets: SheetsTraffic;
  readonly model: ModelTraffic;
  readonly checks: readonly SheetCheck[];
  readonly statuses: readonly string[];
  readonly firestore: FirestoreCounts | null;
  readonly peakRssBytes: number;
  readonly cpuMs: number;
}

export interface CloudResult {
  readonly plan: CloudPlan;
  readonly quota: { readonly readsPerMinute: number; readonly writesPerMinute: number };
  /** The commit measured, and whether backend/ or local/ had uncommitted changes (bench/lib/git-state.ts). */
  readonly code: string;
  readonly cases: readonly CloudCase[];
  /** Cases that could not run, with why. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}


const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How many times one job's start may be refused for quota before the case fails. */
const START_RETRIES = 5;

interface StandIns {
  readonly auth: GoogleAuthStandIn;
  readonly tasks: CloudTasksStandIn;
  readonly sheets: SheetsStandIn;
  readonly openai: OpenAiStandIn;
  close(): Promise<void>;
}

/** Google's side, in this process: the backend's process holds only what Cloud Run would run. */
async function startStandIns(quota: CloudResult['quota']): Promise<StandIns> {
  const auth = await startGoogleAuthStandIn();
  const tasks = await startCloudTasksStandIn({
    signer: ({ serviceAccountEmail, audience }) => auth.mintIdToken({ aud: audience, email: serviceAccountEmail }),
    queues: [{ name: QUEUE_PATH, ...QUEUE }],
  });
  const sheets = await startSheetsStandIn({ readsPerMinute: quota.readsPerMinute, writesPerMinute: quota.writesPerMinute });
  const openai = await startOpenAiStandIn({ rpm: CLOUD_RPM, tpm: null, burstSeconds: 1, latencyMs: CLOUD_LATENCY_MS, jitterMs: CLOUD_JITTER_MS, seed: 7 });
  return {
    auth,
    tasks,
    sheets,
    openai,
    close: async () => {
      await Promise.all([tasks.close(), sheets.close(), openai.close()]);
      await auth.close();
    },
  };
}

async function waitForHealth(url: string, child: Promise<unknown>): Promise<void> {
  let exited = false;
  child.then(
    () => (exited = true),
    () => (exited = true),
  );
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await child; // rejects with the child's own error when it died
  throw new Error('the backend did not answer /healthz within 120 s');
}

/**
 * POST /v1/jobs for every sheet at once, and from that moment watch as a user does: the sheet for its first status
 * (every 100 ms, while the requests may still be answering), the job through the sidebar's 2 s progress poll.
 */
async function runJobs(url: string, s: StandIns, books: readonly Workbook[], rowsPerJob: number, workers: number | 'auto', timeoutMs: number) {
  const token = s.auth.mintIdToken({ aud: ADDON_CLIENT_ID, email: USER, hd: 'example.com' });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const started = books.map(() => 0);
  const ids: (string | null)[] = books.map(() => null);
  let failure: Error | undefined;
  const refused = books.map(() => 0);
  // A start refused for quota (429) is tried again when it says, with a fresh proof, as a user clicking again would.
  const start = async (wb: Workbook, i: number): Promise<void> => {
    for (;;) {
      const body = { spreadsheetId: wb.id, sheetId: 0, ranges: [`A2:C${rowsPerJob + 1}`], headerRow: 1, config: jobConfig(workers), proofNonce: writeProof(wb) };
      const res = await fetch(`${url}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify(body) });
      const answer = (await res.json()) as { job?: JobView; error?: { code: string; message: string } };
      if (res.status === 202 && answer.job) {
        ids[i] = answer.job.id;
        return;
      }
      if (res.status !== 429 || refused[i]! >= START_RETRIES) throw new Error(`POST /v1/jobs answered ${res.status}: ${JSON.stringify(answer.error)}`);
      refused[i]!++;
      const after = Number(res.headers.get('retry-after'));
      await sleep(Number.isFinite(after) && after > 0 ? after * 1000 : 60_000);
    }
  };
  books.forEach((wb, i) => {
    started[i] = Date.now();
    start(wb, i).catch((error: unknown) => (failure ??= error instanceof Error ? error : new Error(String(error))));
  });
  const firstStatus: (number | null)[] = books.map(() => null);
  const views: (JobView | null)[] = books.map(() => null);
  const nextPoll = books.map(() => 0);
  const polling = books.map(() => false);
  const deadline = Date.now() + timeoutMs;
  const settled = (v: JobView | null): boolean => v !== null && (v.status === 'completed' || v.status === 'cancelled' || (v.status === 'paused' && v.counts.running === 0));
  while (!views.every(settled)) {
    if (failure) throw failure;
    if (Date.now() > deadline) throw new Error(`jobs did not settle within ${Math.round(timeoutMs / 1000)} s: ${JSON.stringify(views.map((v) => v?.counts))}`);
    const now = Date.now();
    books.forEach((wb, i) => {
      if (firstStatus[i] === null && showsStatus(wb, rowsPerJob)) firstStatus[i] = now - started[i]!;
      const id = ids[i];
      if (!id || polling[i] || settled(views[i] ?? null) || now < nextPoll[i]!) return;
      // As the sidebar's poller: the next poll 2 s after this one was sent, never two at once.
      nextPoll[i] = now + 2000;
      polling[i] = true;
      void fetch(`${url}/v1/jobs/${id}`, { headers })
        .then(async (res) => {
          if (res.status === 200) views[i] = ((await res.json()) as { job: JobView }).job;
        })
        .catch(() => undefined)
        .finally(() => (polling[i] = false));
    });
    await sleep(100);
  }
  const done = views as JobView[];
  const jobMakespansMs = done.map((v, i) => (v.finishedAt ? Date.parse(v.finishedAt) : Date.now()) - started[i]!);
  const first = Math.min(...started);
  const last = Math.max(...done.map((v, i) => started[i]! + jobMakespansMs[i]!));
  return { views: done, firstStatus, jobMakespansMs, makespanMs: last - first, refused };
}

interface CaseSpec {
  readonly name: string;
  readonly store: 'sqlite' | 'firestore';
  readonly jobs: number;
  readonly rowsPerJob: number;
}

async function runCase(spec: CaseSpec, plan: CloudPlan, quota: CloudResult['quota'], emulator: BenchEmulator | null, progress: (line: string) => void): Promise<CloudCase> {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-bench-cloud-'));
  const s = await startStandIns(quota);
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const totalRows = spec.jobs * spec.rowsPerJob;
    const askedWorkers = typeof plan.workers === 'number' ? plan.workers : MAX_IN_FLIGHT;
    // A hang guard, not a target: ten times the bound at the asked workers, plus five minutes for intake and the emulator.
    const timeoutMs = 10 * boundMs(totalRows, CLOUD_RPM, totalRows * CLOUD_LATENCY_MS, askedWorkers * spec.jobs) + 300_000;
    const input: BackendChildInput = {
      store: spec.store,
      emulatorHost: emulator?.host ?? null,
      dir,
      port,
      tasksPort: s.tasks.port,
      queuePath: QUEUE_PATH,
      sheetsUrl: s.sheets.url,
      openaiUrl: s.openai.url,
      certs: { pem: s.auth.certsUrl, jwk: s.auth.jwksUrl },
      maxWorkers: Math.max(askedWorkers, 50),
      maxInFlight: MAX_IN_FLIGHT,
      maxRowsPerJob: Math.max(totalRows, 100_000),
      quota,
    };
    const child = runChild<BackendChildInput, BackendChildResult>('cloud/backend-child.ts', input, { timeoutMs: timeoutMs + 180_000 });
    let run: Awaited<ReturnType<typeof runJobs>>;
    const books = Array.from({ length: spec.jobs }, (_, i) => createBenchSheet(s.sheets, i, spec.rowsPerJob));
    try {
      await waitForHealth(url, child);
      progress(`cloud: ${spec.name}: ${spec.jobs} job(s) × ${int(spec.rowsPerJob)} rows, ${CLOUD_RPM.toLocaleString('en-US')} requests/min, ${CLOUD_LATENCY_MS / 1000} s ± ${CLOUD_JITTER_MS / 1000} s…`);
      run = await runJobs(url, s, books, spec.rowsPerJob, plan.workers, timeoutMs);
    } catch (error) {
      // Stop the backend before its stand-ins go, and report the first failure, not the child's exit.
      await fetch(`${url}${FINISH_PATH}`).catch(() => undefined);
      await child.catch(() => undefined);
      throw error;
    }
    await fetch(`${url}${FINISH_PATH}`);
    const backend = await child;
    const model = modelTraffic(s.openai.requestLog);
    const workers = run.views[0]?.workers ?? askedWorkers;
    // With "auto" the engine sizes the window, up to the server's in-flight cap.
    const window = (typeof workers === 'number' ? workers : MAX_IN_FLIGHT) * spec.jobs;
    const result: CloudCase = {
      name: spec.name,
      store: spec.store,
      jobs: spec.jobs,
      rowsPerJob: spec.rowsPerJob,
      workers,
      makespanMs: run.makespanMs,
      boundMs: boundMs(model.answered, CLOUD_RPM, model.latencyMs, window),
      firstStatusMs: run.firstStatus,
      jobMakespansMs: run.jobMakespansMs,
      startsRefused: run.refused,
      meanAtModel: model.latencyMs / Math.max(1, run.makespanMs),
      sheets: sheetsTraffic(s.sheets.requestLog, SHEETS_SA),
      model,
      checks: books.map((wb, i) => checkSheet(wb, i, spec.rowsPerJob)),
      statuses: run.views.map((v) => v.status),
      firestore: backend.firestore,
      peakRssBytes: backend.peakRssBytes,
      cpuMs: backend.cpuMs,
    };
    progress(`cloud: ${spec.name}: ${seconds(result.makespanMs)} (bound ${seconds(result.boundMs)})`);
    return result;
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runCloud(plan: CloudPlan, progress: (line: string) => void): Promise<CloudResult> {
  const quota = sheetsQuota();
  const code = codeState();
  const cases: CloudCase[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const one = (store: 'sqlite' | 'firestore'): CaseSpec => ({ name: `(a) one job, ${store === 'sqlite' ? 'SQLite' : 'Firestore'}`, store, jobs: 1, rowsPerJob: plan.rows });
  const many: CaseSpec = { name: `(b) ${plan.jobs} jobs at once, Firestore`, store: 'firestore', jobs: plan.jobs, rowsPerJob: plan.jobRows };
  const attempt = async (spec: CaseSpec, emulator: BenchEmulator | null): Promise<void> => {
    try {
      cases.push(await runCase(spec, plan, quota, emulator, progress));
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      progress(`cloud: ${spec.name} failed: ${reason}`);
      skipped.push({ name: spec.name, reason: `failed: ${reason}` });
    }
  };
  const wanted = (c: CloudCaseChoice): boolean => plan.cases.includes(c);
  if (wanted('a-sqlite')) await attempt(one('sqlite'), null);
  if (!wanted('a-firestore') && !wanted('b')) return { plan, quota, code, cases, skipped };
  if (!hasGcloud()) {
    for (const spec of [...(wanted('a-firestore') ? [one('firestore')] : []), ...(wanted('b') ? [many] : [])]) skipped.push({ name: spec.name, reason: 'not run: `gcloud` (the Firestore emulator) is not on PATH' });
    return { plan, quota, code, cases, skipped };
  }
  progress('cloud: starting the Firestore emulator…');
  const emulator = await startFirestoreEmulator();
  try {
    if (wanted('a-firestore')) await attempt(one('firestore'), emulator);
    if (wanted('b')) await attempt(many, emulator);
  } finally {
    await emulator.stop();
  }
  return { plan, quota, code, cases, skipped };
}

/** The main table's rows: one per case (429s are the model's; Sheets 429s are in the cloud table). */
export function cloudMeasurements(result: CloudResult): ResultRow[] {
  const rows: ResultRow[] = result.cases.map((c): Measurement => {
    const total = c.jobs * c.rowsPerJob;
    const lost = c.checks.reduce((sum, k) => sum + k.lost + k.wrong, 0);
    return {
      scenario: SCENARIO,
      contender: `Rowfill ${c.name}`,
      rows: total,
      measuredRows: total,
      measuredMakespanMs: c.makespanMs,
      makespanMs: c.makespanMs,
      boundMs: c.boundMs,
      modelCalls: c.model.calls,
      rateLimited: c.model.rateLimited,
      writeCalls: c.sheets.writes,
      peakRssBytes: c.peakRssBytes,
      failedRows: lost,
      notes: [`${c.workers} workers a job`, `backend CPU ${seconds(c.cpuMs)}`, `Sheets ${int(c.sheets.reads)} reads, ${int(c.sheets.writes)} writes, ${int(c.sheets.rejected)} answered 429`],
    };
  });
  return [...rows, ...result.skipped.map((k) => ({ scenario: SCENARIO, contender: `Rowfill ${k.name}`, rows: 0, skipped: k.reason }))];
}
