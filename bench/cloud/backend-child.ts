// The cloud backend in its own process: compose/cloud.ts over Firestore (emulator) or SQLite, Cloud Tasks, Sheets and OpenAI stand-ins.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { credentials } from '@grpc/grpc-js';
import { Firestore } from '@google-cloud/firestore';
import { CloudTasksClient } from '@google-cloud/tasks';
import { CloudTasksQueue } from '../../backend/src/adapters/cloud-tasks/index.js';
import { FirestoreSheetsQuota, FirestoreStore } from '../../backend/src/adapters/firestore/index.js';
import { GoogleSheetsGateway, InProcessSheetsQuota } from '../../backend/src/adapters/google-sheets/index.js';
import { OpenAiModelClient } from '../../backend/src/adapters/openai/openai-model-client.js';
import { openDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../backend/src/adapters/sqlite/sqlite-store.js';
import { systemClock } from '../../backend/src/adapters/system-clock/system-clock.js';
import { composeCloudBackend } from '../../backend/src/compose/cloud.js';
import { GoogleIdTokenVerifier, verifyAddonCaller, verifyTaskCaller } from '../../backend/src/http/auth/index.js';
import { silentLogger } from '../../backend/src/ports/logger.js';
import type { SheetsQuota } from '../../backend/src/ports/sheets-quota.js';
import type { Store } from '../../backend/src/ports/store.js';
import { standInSheetsClient } from '../../local/sheets/index.js';
import { childMain } from '../lib/child-main.js';
import { startPeakRss } from '../lib/peak-rss.js';
import { countFirestore, type FirestoreCounts } from './firestore-counter.js';
import { ADDON_CLIENT_ID, FINISH_PATH, SHEETS_SA, SHEETS_WRITE_INTERVAL_MS, TASKS_SA } from './settings.js';

export interface BackendChildInput {
  readonly store: 'sqlite' | 'firestore';
  /** host:port of the Firestore emulator (store 'firestore'). */
  readonly emulatorHost: string | null;
  /** A temp folder for the SQLite file (store 'sqlite'). */
  readonly dir: string;
  /** The loopback port this backend listens on (chosen free by the parent). */
  readonly port: number;
  readonly tasksPort: number;
  readonly queuePath: string;
  readonly sheetsUrl: string;
  readonly openaiUrl: string;
  readonly certs: { readonly pem: string; readonly jwk: string };
  /** ROWFILL_MAX_WORKERS, ROWFILL_MAX_IN_FLIGHT and ROWFILL_MAX_ROWS_PER_JOB of this server. */
  readonly maxWorkers: number;
  readonly maxInFlight: number;
  readonly maxRowsPerJob: number;
  /** The Sheets governor's budget (ROWFILL_SHEETS_READS_PER_MINUTE / _WRITES_). */
  readonly quota: { readonly readsPerMinute: number; readonly writesPerMinute: number };
}

export interface BackendChildResult {
  /** What the Firestore client asked of the emulator over the backend's whole life; null over SQLite. */
  readonly firestore: FirestoreCounts | null;
  readonly peakRssBytes: number;
  /** CPU time the backend process used (user + system). */
  readonly cpuMs: number;
}

const EMULATOR_PROJECT = 'rowfill-bench';

/**
 * As compose/cloud.ts builds them: the store and the Sheets governor on one Firestore client and root; over SQLite (one
 * process, as `rowfill serve`) the in-process governor.
 */
function openStore(input: BackendChildInput): { store: Store; quota: SheetsQuota; counter: ReturnType<typeof countFirestore> | null } {
  if (input.store === 'sqlite') {
    return { store: new SqliteStore(openDatabase({ path: join(input.dir, 'state.db') }), { closeDatabase: true }), quota: new InProcessSheetsQuota({ ...input.quota, clock: systemClock }), counter: null };
  }
  if (!input.emulatorHost) throw new Error('the Firestore case needs the emulator host');
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  const firestore = new Firestore({ projectId: EMULATOR_PROJECT, host: input.emulatorHost, ssl: false });
  const rootPath = `bench/${randomUUID()}`;
  return {
    store: new FirestoreStore({ firestore, rootPath, closeFirestore: true }),
    quota: new FirestoreSheetsQuota({ firestore, rootPath, ...input.quota, clock: systemClock }),
    counter: countFirestore(firestore, rootPath),
  };
}

async function run(input: BackendChildInput): Promise<BackendChildResult> {
  const rss = startPeakRss();
  const cpuStart = process.cpuUsage();
  const { store, quota, counter } = openStore(input);
  const url = `http://127.0.0.1:${input.port}`;
  const tasksClient = new CloudTasksClient({ apiEndpoint: '127.0.0.1', port: input.tasksPort, sslCreds: credentials.createInsecure(), universeDomain: 'googleapis.com' });
  const queue = new CloudTasksQueue({ client: tasksClient, queuePath: input.queuePath, targetBaseUrl: url, serviceAccountEmail: TASKS_SA });
  const verifier = new GoogleIdTokenVerifier({ certificateUrls: input.certs });
  // The production composition and engine defaults (1 s pump); only the clients' addresses differ from cloudAdapters().
  const backend = composeCloudBackend(
    {
      store,
      queue,
      model: new OpenAiModelClient({ apiKey: 'sk-bench', baseURL: input.openaiUrl, simulated: true }),
      gateway: new GoogleSheetsGateway({ sheets: standInSheetsClient({ url: input.sheetsUrl, token: SHEETS_SA }), serviceAccountEmail: SHEETS_SA, clock: systemClock, minWriteIntervalMs: SHEETS_WRITE_INTERVAL_MS, quota }),
      clock: systemClock,
      // Errors only, to the bench's stderr: a failed request's cause (e.g. a start answered 500) is in the run's output.
      log: { ...silentLogger, error: (fields: Record<string, unknown>, message: string) => process.stderr.write(`backend error: ${message} ${JSON.stringify(fields)}\n`) },
    },
    {
      authenticate: verifyAddonCaller({ clientIds: [ADDON_CLIENT_ID], allowlist: ['example.com'], verifier }),
      authenticateTask: verifyTaskCaller({ serviceAccount: TASKS_SA, audience: url, verifier }),
      limits: { maxRowsPerJob: input.maxRowsPerJob, maxWorkers: input.maxWorkers, maxBudgetUsd: 10_000, maxInFlight: input.maxInFlight },
    },
  );
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const server = createServer((req, res) => {
    if (req.url === FINISH_PATH) {
      res.end('ok');
      finish();
      return;
    }
    void backend.app(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: input.port, backlog: 4096 }, () => resolve());
  });
  await finished;
  await queue.stop();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const firestore = counter?.counts() ?? null;
  await store.close();
  const cpu = process.cpuUsage(cpuStart);
  rss.stop();
  return { firestore, peakRssBytes: rss.peak(), cpuMs: (cpu.user + cpu.system) / 1000 };
}

await childMain<BackendChildInput, BackendChildResult>(run);
