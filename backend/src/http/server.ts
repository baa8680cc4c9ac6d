// The backend's entry point on Cloud Run: validated config → Firestore, Cloud Tasks, Google Sheets, OpenAI → listen.
import { Firestore } from '@google-cloud/firestore';
import { CloudTasksClient } from '@google-cloud/tasks';
import { auth as googleAuth, sheets } from '@googleapis/sheets';
import pino from 'pino';
import { CloudTasksQueue } from '../adapters/cloud-tasks/index.js';
import { FirestoreStore } from '../adapters/firestore/index.js';
import { GoogleSheetsGateway } from '../adapters/google-sheets/index.js';
import { OpenAiModelClient } from '../adapters/openai/openai-model-client.js';
import { systemClock } from '../adapters/system-clock/system-clock.js';
import { loadServerConfig, type CloudServerSettings, type ServerConfig } from '../config.js';
import type { Logger } from '../ports/logger.js';
import { verifyAddonCaller, verifyTaskCaller } from './auth/index.js';
import { createBackend } from './backend.js';
import { cloudTaskCodec } from './cloud-task-codec.js';
import { researchDeps } from './research-deps.js';

/** Cloud Logging reads `severity`; pino's numeric level alone would show every line as DEFAULT. */
export function cloudLogger(level: ServerConfig['logLevel']): Logger {
  return pino({
    level,
    base: undefined,
    messageKey: 'message',
    formatters: { level: (label) => ({ severity: label === 'warn' ? 'WARNING' : label.toUpperCase() }) },
    redact: { paths: ['*.authorization', '*.apiKey', '*.token', 'req.headers.authorization'], censor: '[redacted]' },
  });
}

/**
 * Sheets quotas are per user per minute, and every job writes as the one service account: flushing a spreadsheet at
 * most every 2.5 s keeps a busy job under the default read quota (two reads per flush plus one to verify).
 */
const SHEETS_WRITE_INTERVAL_MS = 2500;

export function startCloudServer(config: ServerConfig & { readonly server: CloudServerSettings }): void {
  const log = cloudLogger(config.logLevel);
  const s = config.server;
  const firestore = new Firestore({ projectId: s.projectId });
  const tasksClient = new CloudTasksClient();
  const queue = new CloudTasksQueue({
    client: tasksClient,
    queuePath: tasksClient.queuePath(s.projectId, s.tasksLocation, s.tasksQueue),
    targetBaseUrl: s.serviceUrl,
    serviceAccountEmail: s.tasksServiceAccount,
  });
  const sheetsClient = sheets({ version: 'v4', auth: new googleAuth.GoogleAuth({ scopes: ['https://www.googleapis.com/auth/spreadsheets'] }) });
  const backend = createBackend({
    store: new FirestoreStore({ firestore, rootPath: 'rowfill/default' }),
    queue,
    model: new OpenAiModelClient({ apiKey: config.openaiApiKey ?? '', baseURL: config.openaiBaseUrl }),
    gateway: new GoogleSheetsGateway({ sheets: sheetsClient, serviceAccountEmail: s.sheetsServiceAccount, clock: systemClock, minWriteIntervalMs: SHEETS_WRITE_INTERVAL_MS }),
    clock: systemClock,
    log,
    authenticate: verifyAddonCaller({ clientIds: s.addonClientIds, allowlist: s.allowlist }),
    authenticateTask: verifyTaskCaller({ serviceAccount: s.tasksServiceAccount, audience: s.serviceUrl }),
    tasks: cloudTaskCodec(queue),
    limits: { maxRowsPerJob: s.maxRowsPerJob, maxWorkers: s.maxWorkers, maxBudgetUsd: s.maxBudgetUsd },
    bodyLimit: s.bodyLimit,
    ...researchDeps(s.research),
    ...(config.prices ? { engine: { prices: config.prices } } : {}),
  });
  queue.start(backend.engine.handleTask);
  const server = backend.app.listen(s.port, s.host, () => log.info({ port: s.port }, 'rowfill backend listening'));
  // Cloud Run sends SIGTERM before stopping an instance: finish in-flight requests, then exit.
  process.once('SIGTERM', () => {
    server.close(() => {
      void queue.stop().finally(() => process.exit(0));
    });
  });
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  let config: ServerConfig;
  try {
    config = loadServerConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  if (config.server.mode !== 'cloud') {
    process.stderr.write('ROWFILL_MODE is not "cloud": for a local backend run `rowfill serve`.\n');
    process.exit(2);
  }
  startCloudServer(config as ServerConfig & { readonly server: CloudServerSettings });
}
