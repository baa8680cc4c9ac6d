// The Cloud Run composition: Firestore, Cloud Tasks, Google Sheets, OpenAI (and Tavily) → one Engine → the HTTP backend.
import { Firestore } from '@google-cloud/firestore';
import { CloudTasksClient } from '@google-cloud/tasks';
import { auth as googleAuth, sheets } from '@googleapis/sheets';
import type { Request } from 'express';
import { CloudTasksQueue, DeliveryAbandonedError } from '../adapters/cloud-tasks/index.js';
import { FirestoreBatchStore, FirestoreSheetsQuota, FirestoreStore } from '../adapters/firestore/index.js';
import { GoogleSheetsGateway } from '../adapters/google-sheets/index.js';
import { OpenAiModelClient } from '../adapters/openai/openai-model-client.js';
import { OpenAiBatchClient } from '../adapters/openai-batch/openai-batch-client.js';
import { systemClock } from '../adapters/system-clock/system-clock.js';
import type { CloudServerSettings, ServerConfig } from '../config.js';
import type { CheapModeDeps, CheapModeOptions } from '../engine/batch/cheap-options.js';
import type { EngineOptions } from '../engine/options.js';
import type { Caller } from '../application/caller.js';
import { verifyAddonCaller, verifyTaskCaller } from '../http/auth/index.js';
import { createBackend, type Backend } from '../http/backend.js';
import type { TaskReceiver } from '../http/routes/task-routes.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { ModelClient } from '../ports/model.js';
import type { Pages } from '../ports/pages.js';
import type { Search } from '../ports/search.js';
import type { SpreadsheetGateway } from '../ports/spreadsheet.js';
import type { Store } from '../ports/store.js';
import { composeEngine, serverEngineOptions, sheetSinks, type ServerLimits } from './engine.js';
import { researchDeps } from './research-deps.js';

/** What a cloud backend runs on: the production adapters, or (in tests) the same adapters aimed at local stand-ins. */
export interface CloudAdapters {
  readonly store: Store;
  readonly queue: CloudTasksQueue;
  readonly model: ModelClient;
  readonly gateway: SpreadsheetGateway;
  readonly clock: Clock;
  readonly log: Logger;
  readonly search?: Search | undefined;
  readonly pages?: Pages | undefined;
  /** Cheap mode: the Batch API client and the Firestore batch records; without it a cheap job pauses. */
  readonly batch?: CheapModeDeps | undefined;
}

export interface CloudBackendSettings {
  readonly authenticate: (req: Request) => Promise<Caller>;
  readonly authenticateTask: (req: Request) => Promise<void>;
  readonly limits?: ServerLimits;
  readonly bodyLimit?: string;
  readonly engine?: EngineOptions;
}

/**
 * Least time between two writes to one spreadsheet from one instance. The deployment's Sheets budget is kept by the
 * Firestore-backed governor (ROWFILL_SHEETS_*_PER_MINUTE); this only keeps one spreadsheet from being written more
 * than once a second.
 */
const SHEETS_WRITE_INTERVAL_MS = 1000;
/** Where the store and the Sheets quota live in Firestore. */
const FIRESTORE_ROOT = 'rowfill/default';

/** The production adapters from validated config. */
export function cloudAdapters(config: ServerConfig & { readonly server: CloudServerSettings }, log: Logger): CloudAdapters {
  const s = config.server;
  const tasksClient = new CloudTasksClient();
  const sheetsClient = sheets({ version: 'v4', auth: new googleAuth.GoogleAuth({ scopes: ['https://www.googleapis.com/auth/spreadsheets'] }) });
  const firestore = new Firestore({ projectId: s.projectId });
  // Every instance draws every Sheets request from this one budget: the service account is one user to Google.
  const quota = new FirestoreSheetsQuota({ firestore, rootPath: FIRESTORE_ROOT, ...s.sheetsQuota, clock: systemClock });
  return {
    store: new FirestoreStore({ firestore, rootPath: FIRESTORE_ROOT }),
    queue: new CloudTasksQueue({
      client: tasksClient,
      queuePath: tasksClient.queuePath(s.projectId, s.tasksLocation, s.tasksQueue),
      targetBaseUrl: s.serviceUrl,
      serviceAccountEmail: s.tasksServiceAccount,
    }),
    model: new OpenAiModelClient({ apiKey: config.openaiApiKey ?? '', baseURL: config.openaiBaseUrl }),
    ...cloudBatchDeps(config, { firestore, rootPath: FIRESTORE_ROOT }),
    gateway: new GoogleSheetsGateway({ sheets: sheetsClient, serviceAccountEmail: s.sheetsServiceAccount, clock: systemClock, minWriteIntervalMs: SHEETS_WRITE_INTERVAL_MS, quota }),
    clock: systemClock,
    log,
    ...researchDeps(s.research),
  };
}

/** Where cheap mode's batch records live: beside the store's documents, on the same Firestore client. */
export interface CloudBatchRecords {
  readonly firestore: Firestore;
  readonly rootPath: string;
  /** True when the OpenAI endpoint is the local stand-in (tests), so results are labelled simulated. Default false. */
  readonly simulated?: boolean;
}

/**
 * Cheap mode on Cloud Run: the Batch API client on the model's key and endpoint, Firestore batch records, and the
 * deployment's ROWFILL_BATCH_POLL_MS (first wait, up to 8× between polls, as the CLI) and ROWFILL_BATCH_ENQUEUED_TOKENS;
 * unset, the engine's defaults (30 s to 10 min, 2,000,000 tokens). The Batch API client refuses an empty key at
 * construction, so with no key there is no cheap mode (a cheap job pauses).
 */
export function cloudBatchDeps(
  config: Pick<ServerConfig, 'openaiApiKey' | 'openaiBaseUrl' | 'batchPollMs' | 'batchEnqueuedTokens'>,
  records: CloudBatchRecords,
): { readonly batch?: CheapModeDeps } {
  if (!config.openaiApiKey) return {};
  const options: CheapModeOptions = {
    ...(config.batchPollMs !== undefined ? { pollMinMs: config.batchPollMs, pollMaxMs: config.batchPollMs * 8 } : {}),
    ...(config.batchEnqueuedTokens !== undefined ? { enqueuedTokenLimit: config.batchEnqueuedTokens } : {}),
  };
  return {
    batch: {
      client: new OpenAiBatchClient({ apiKey: config.openaiApiKey, baseURL: config.openaiBaseUrl, ...(records.simulated ? { simulated: true } : {}) }),
      store: new FirestoreBatchStore({ firestore: records.firestore, rootPath: records.rootPath }),
      ...(Object.keys(options).length > 0 ? { options } : {}),
    },
  };
}

/** The production callers: the add-on's Google ID tokens (allowlisted) and the tasks service account's OIDC tokens. */
export function cloudBackendSettings(config: ServerConfig & { readonly server: CloudServerSettings }): CloudBackendSettings {
  const s = config.server;
  return {
    authenticate: verifyAddonCaller({ clientIds: s.addonClientIds, allowlist: s.allowlist }),
    authenticateTask: verifyTaskCaller({ serviceAccount: s.tasksServiceAccount, audience: s.serviceUrl }),
    limits: { maxRowsPerJob: s.maxRowsPerJob, maxWorkers: s.maxWorkers, maxBudgetUsd: s.maxBudgetUsd, maxInFlight: s.maxInFlight },
    bodyLimit: s.bodyLimit,
    ...(config.prices ? { engine: { prices: config.prices } } : {}),
  };
}

/**
 * One Engine over the adapters, the HTTP backend over it, and the queue started with the engine's handler: /tasks/*
 * deliveries go through the queue's receive(), so stop() drains exactly the deliveries in flight.
 */
export function composeCloudBackend(adapters: CloudAdapters, settings: CloudBackendSettings): Backend {
  const { store, queue, model, gateway, clock, log, search, pages, batch } = adapters;
  const research = search && pages ? { search, pages } : undefined;
  const engine = composeEngine({ store, queue, model, clock, log, sinks: sheetSinks(gateway), ...research, ...(batch ? { batch } : {}) }, serverEngineOptions(settings.limits, settings.engine));
  const backend = createBackend({
    engine,
    store,
    gateway,
    clock,
    log,
    authenticate: settings.authenticate,
    tasks: { receive: cloudTaskReceiver(queue), authenticate: settings.authenticateTask },
    research: research !== undefined,
    ...(settings.limits ? { limits: settings.limits } : {}),
    ...(settings.bodyLimit ? { bodyLimit: settings.bodyLimit } : {}),
    ...(settings.engine?.prices ? { prices: settings.engine.prices } : {}),
  });
  queue.start(engine.handleTask);
  return backend;
}

/** The /tasks routes' receiver: the Cloud Tasks queue's own delivery code (the code the Queue contract suite tests). */
export function cloudTaskReceiver(queue: CloudTasksQueue): TaskReceiver {
  return async (delivery, respond) => {
    try {
      await queue.receive(delivery, respond);
      return 'answered';
    } catch (error) {
      if (error instanceof DeliveryAbandonedError) return 'abandoned';
      throw error;
    }
  };
}
