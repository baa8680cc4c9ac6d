// `rowfill serve`: the backend's HTTP app on 127.0.0.1 over the embedded default and the local Sheets stand-in.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { GoogleSheetsGateway, InProcessSheetsQuota } from '../adapters/google-sheets/index.js';
import { systemClock } from '../adapters/system-clock/system-clock.js';
import type { ServerConfig } from '../config.js';
import { ensureLocalToken, verifyLocalCaller } from '../http/auth/index.js';
import { serverEngineOptions, sheetSinks } from '../compose/engine.js';
import { createBackend, type Backend } from '../http/backend.js';
import type { Logger } from '../ports/logger.js';
import type { SearchStandInOptions } from './dev-wiring-search.js';
import { LOCAL_SERVICE_ACCOUNT, startLocalSheets, type SheetsStandIn } from './dev-wiring-sheets.js';
import { openEmbeddedRuntime, type EmbeddedRuntime } from './embedded-runtime.js';

export interface LocalServer {
  readonly url: string;
  readonly token: string;
  readonly tokenPath: string;
  readonly backend: Backend;
  readonly runtime: EmbeddedRuntime;
  readonly sheets: SheetsStandIn;
  /**
   * Research mode's search and pages (the runtime's, started at the first research row): Tavily and the web with
   * TAVILY_API_KEY, else the local search stand-in and its pages, labelled simulated.
   */
  readonly research: EmbeddedRuntime['research'];
  close(): Promise<void>;
}

export interface LocalServerOptions {
  readonly config: ServerConfig;
  readonly log: Logger;
  /** Where the local Sheets stand-in keeps its workbooks between runs. Default: next to the state file. */
  readonly sheetsStateFile?: string;
  /** 0 picks a free port. Default: config.server.port. */
  readonly port?: number;
  /** Settings of the search stand-in used when no TAVILY_API_KEY is set (latency, limits, faults). */
  readonly searchStandIn?: SearchStandInOptions;
}

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const { config, log } = options;
  const stateDir = dirname(config.dbPath);
  const tokenPath = join(stateDir, 'local-token');
  const token = await ensureLocalToken(tokenPath);
  const sheetsFile = options.sheetsStateFile ?? join(stateDir, 'sheets.json');
  const { standIn: sheets, client } = await startLocalSheets(existsSync(sheetsFile) ? { stateFile: sheetsFile } : {});
  // One process, so the Sheets budget (ROWFILL_SHEETS_*_PER_MINUTE, as the stand-in's own per-user quota) is kept in memory.
  const quota = new InProcessSheetsQuota({ ...config.server.sheetsQuota, clock: systemClock });
  const gateway = new GoogleSheetsGateway({ sheets: client, serviceAccountEmail: LOCAL_SERVICE_ACCOUNT, clock: systemClock, quota });
  const limits = { maxRowsPerJob: config.server.maxRowsPerJob, maxWorkers: config.server.maxWorkers, maxBudgetUsd: config.server.maxBudgetUsd, maxInFlight: config.server.maxInFlight };
  // The runtime's Engine is the one Engine of this process: it writes sheet jobs' results through the gateway and
  // holds the server's caps, so the HTTP backend runs on it rather than on a second Engine over the same store.
  const runtime = await openEmbeddedRuntime({
    config,
    log,
    maxDispatchesPerSecond: 500,
    searchRpm: config.server.research.searchRpm,
    sinks: sheetSinks(gateway),
    engine: serverEngineOptions(limits),
    ...(options.searchStandIn ? { searchStandIn: options.searchStandIn } : {}),
  });
  const { research } = runtime;
  // No /tasks routes: the queue is in-process and delivers to the engine directly.
  const backend = createBackend({
    engine: runtime.engine,
    store: runtime.store,
    gateway,
    clock: systemClock,
    log,
    authenticate: verifyLocalCaller({ token }),
    limits,
    bodyLimit: config.server.bodyLimit,
    research: true,
    ...(config.prices ? { prices: config.prices } : {}),
  });
  runtime.start();
  const server: Server = await new Promise((resolve, reject) => {
    const s = backend.app.listen(options.port ?? config.server.port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    tokenPath,
    backend,
    runtime,
    sheets,
    research,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await runtime.close();
      await sheets.save(sheetsFile);
      await sheets.close();
    },
  };
}
