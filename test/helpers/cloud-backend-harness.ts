// The production backend composition (compose/cloud.ts) in a test: Cloud Tasks (gRPC stand-in, real client), Google Sheets (stand-in,
// real client), OpenAI (stand-in, real SDK), Google ID tokens (loopback signer, real verifier) and a pluggable Store.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Firestore } from '@google-cloud/firestore';
import { CloudTasksClient } from '@google-cloud/tasks';
import { CloudTasksQueue } from '../../backend/src/adapters/cloud-tasks/index.js';
import { GoogleSheetsGateway } from '../../backend/src/adapters/google-sheets/index.js';
import { OpenAiModelClient } from '../../backend/src/adapters/openai/openai-model-client.js';
import { systemClock } from '../../backend/src/adapters/system-clock/system-clock.js';
import { TavilySearch } from '../../backend/src/adapters/tavily/tavily-search.js';
import { WebPages } from '../../backend/src/adapters/web-pages/web-pages.js';
import { GoogleIdTokenVerifier, verifyAddonCaller, verifyTaskCaller } from '../../backend/src/http/auth/index.js';
import { cloudBatchDeps, composeCloudBackend } from '../../backend/src/compose/cloud.js';
import type { CheapModeDeps } from '../../backend/src/engine/batch/cheap-options.js';
import type { Backend } from '../../backend/src/http/backend.js';
import type { Clock } from '../../backend/src/ports/clock.js';
import { silentLogger } from '../../backend/src/ports/logger.js';
import type { SheetsQuota } from '../../backend/src/ports/sheets-quota.js';
import type { Search } from '../../backend/src/ports/search.js';
import type { Store } from '../../backend/src/ports/store.js';
import { startCloudTasksStandIn, type CloudTasksStandIn } from '../../local/cloud-tasks/server.js';
import { startGoogleAuthStandIn, type GoogleAuthStandIn } from '../../local/google-auth/server.js';
import { startOpenAiStandIn, type OpenAiStandIn, type OpenAiStandInOptions } from '../../local/openai/server.js';
import { startSearchStandIn, type SearchStandIn, type SearchStandInOptions } from '../../local/search/server.js';
import { startSheetsStandIn, standInSheetsClient, type SheetsStandIn } from '../../local/sheets/index.js';
import { apiClient } from './backend-client.js';

export const ADDON_CLIENT_ID = 'rowfill-addon.apps.googleusercontent.com';
export const TASKS_SA = 'rowfill-tasks@rowfill-test.iam.gserviceaccount.com';
export const SHEETS_SA = 'rowfill@rowfill-test.iam.gserviceaccount.com';
export const USER = 'ada@example.com';
const QUEUE = 'projects/rowfill-test/locations/europe-west1/queues/rows';

export interface CloudBackend {
  readonly url: string;
  readonly backend: Backend;
  readonly store: Store;
  /** The Cloud Tasks queue the /tasks routes deliver through: what SIGTERM stops. */
  readonly queue: CloudTasksQueue;
  readonly auth: GoogleAuthStandIn;
  readonly tasks: CloudTasksStandIn;
  readonly sheets: SheetsStandIn;
  readonly openai: OpenAiStandIn;
  /** Cheap mode's Batch API client and batch records, when the backend was started with `cheap`. */
  readonly batch: CheapModeDeps | undefined;
  /** Tavily's stand-in and its company pages (research mode), when the backend was started with `search`. */
  readonly web: SearchStandIn | undefined;
  /** Every search the backend made, with the URLs it returned: what a row's sources may cite. */
  readonly searches: readonly { readonly query: string; readonly urls: readonly string[] }[];
  /** An API client signed in as `email` (a Google ID token for the add-on's client id). */
  as(email: string): ReturnType<typeof apiClient>;
  close(): Promise<void>;
}

export interface CloudBackendOptions {
  readonly store: Store;
  readonly openai?: OpenAiStandInOptions;
  readonly queue?: { readonly maxDispatchesPerSecond?: number; readonly maxConcurrentDispatches?: number };
  readonly sheetsWritesPerMinute?: number;
  /** The stand-in's per-user read quota; default none. */
  readonly sheetsReadsPerMinute?: number;
  /** The deployment's Sheets quota governor the gateway draws from; default none. */
  readonly sheetsQuota?: SheetsQuota;
  /** Time for the gateway and the Sheets stand-in's quota windows (e.g. sped up, so a quota minute passes in seconds). */
  readonly sheetsClock?: Clock;
  readonly minWriteIntervalMs?: number;
  readonly limits?: { readonly maxRowsPerJob?: number; readonly maxWorkers?: number; readonly maxBudgetUsd?: number };
  readonly bodyLimit?: string;
  /** Research mode against the search stand-in (Tavily adapter, page fetcher allowed its loopback pages only). */
  readonly search?: SearchStandInOptions;
  /**
   * Cheap mode as Cloud Run wires it (compose/cloud.ts's cloudBatchDeps): the Batch API client at the OpenAI stand-in,
   * batch records in this Firestore root (the store's), and the deployment's ROWFILL_BATCH_POLL_MS and
   * ROWFILL_BATCH_ENQUEUED_TOKENS. The stand-in's batch delay is `openai.batchDelayMs`.
   */
  readonly cheap?: { readonly firestore: Firestore; readonly rootPath: string; readonly batchPollMs?: number; readonly batchEnqueuedTokens?: number };
}

export async function startCloudBackend(options: CloudBackendOptions): Promise<CloudBackend> {
  const auth = await startGoogleAuthStandIn();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tasks = await startCloudTasksStandIn({
    signer: ({ serviceAccountEmail, audience }) => auth.mintIdToken({ aud: audience, email: serviceAccountEmail }),
    queues: [{ name: QUEUE, maxDispatchesPerSecond: options.queue?.maxDispatchesPerSecond ?? 500, maxConcurrentDispatches: options.queue?.maxConcurrentDispatches ?? 200, minBackoffMs: 100, maxBackoffMs: 5000 }],
  });
  const sheetsClock = options.sheetsClock;
  const sheets = await startSheetsStandIn({
    writesPerMinute: options.sheetsWritesPerMinute ?? 60,
    ...(options.sheetsReadsPerMinute !== undefined ? { readsPerMinute: options.sheetsReadsPerMinute } : {}),
    ...(sheetsClock ? { now: () => sheetsClock.now() } : {}),
  });
  const openai = await startOpenAiStandIn({ latencyMs: 20, jitterMs: 10, ...options.openai });
  const queue = new CloudTasksQueue({ client: new CloudTasksClient({ ...tasks.clientOptions }), queuePath: QUEUE, targetBaseUrl: url, serviceAccountEmail: TASKS_SA });
  const web = options.search ? await startSearchStandIn(options.search) : undefined;
  const searches: { query: string; urls: string[] }[] = [];
  const research = web ? { search: loggedSearch(new TavilySearch({ apiKey: 'tvly-test', baseURL: web.url, simulated: true, requestsPerMinute: 60_000 }), searches), pages: new WebPages({ allowLoopback: true, resolve: web.resolve }) } : {};
  const verifier = new GoogleIdTokenVerifier({ certificateUrls: { pem: auth.certsUrl, jwk: auth.jwksUrl } });
  const cheap = options.cheap
    ? cloudBatchDeps(
        { openaiApiKey: 'sk-test', openaiBaseUrl: openai.url, batchPollMs: options.cheap.batchPollMs, batchEnqueuedTokens: options.cheap.batchEnqueuedTokens },
        { firestore: options.cheap.firestore, rootPath: options.cheap.rootPath, simulated: true },
      )
    : {};
  // The adapters aimed at the stand-ins; everything from here on is the production composition.
  const adapters = {
    store: options.store,
    queue,
    model: new OpenAiModelClient({ apiKey: 'sk-test', baseURL: openai.url, simulated: true }),
    gateway: new GoogleSheetsGateway({
      sheets: standInSheetsClient({ url: sheets.url, token: SHEETS_SA }),
      serviceAccountEmail: SHEETS_SA,
      minWriteIntervalMs: options.minWriteIntervalMs ?? 1000,
      ...(options.sheetsQuota ? { quota: options.sheetsQuota, maxQuotaWaitMs: 600_000 } : {}),
      ...(sheetsClock ? { clock: sheetsClock } : {}),
    }),
    clock: systemClock,
    // ROWFILL_DEBUG=1 prints the backend's warnings and errors while a test is being debugged.
    log: process.env.ROWFILL_DEBUG
      ? { ...silentLogger, warn: (f: object, m?: string) => console.log('WARN', m, JSON.stringify(f)), error: (f: object, m?: string) => console.log('ERROR', m, JSON.stringify(f)) }
      : silentLogger,
    ...research,
    ...cheap,
  };
  const backend = composeCloudBackend(adapters, {
    authenticate: verifyAddonCaller({ clientIds: [ADDON_CLIENT_ID], allowlist: ['example.com'], verifier }),
    authenticateTask: verifyTaskCaller({ serviceAccount: TASKS_SA, audience: url, verifier }),
    engine: { pumpIntervalMs: 500, backoff: { baseMs: 100, capMs: 2000 } },
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
  });
  server.on('request', backend.app);
  return {
    url,
    backend,
    store: options.store,
    queue,
    auth,
    tasks,
    sheets,
    openai,
    batch: cheap.batch,
    web,
    searches,
    as: (email) => apiClient(url, auth.mintIdToken({ aud: ADDON_CLIENT_ID, email, hd: email.split('@')[1] })),
    async close() {
      await queue.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await tasks.close();
      await sheets.close();
      await openai.close();
      await web?.close();
      await auth.close();
    },
  };
}

/** The search adapter, recording each answered query with the URLs it returned. */
function loggedSearch(search: Search, log: { query: string; urls: string[] }[]): Search {
  return {
    simulated: search.simulated,
    async search(request) {
      const result = await search.search(request);
      log.push({ query: request.query, urls: result.results.map((r) => r.url) });
      return result;
    },
  };
}
