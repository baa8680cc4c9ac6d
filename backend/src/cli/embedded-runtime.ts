// The embedded default, wired: compose/embedded.ts's adapters (or the OpenAI stand-in) and compose/engine.ts's Engine.
// The queue, the engine, the OpenAI client and the stand-in are imported when a runtime opens, not when this module
// loads: `rowfill status` and `rowfill jobs` open only the store (openEmbeddedStore) and skip their load time.
import type { LocalQueue } from '../adapters/local-queue/index.js';
import { openDatabase, type SqliteDatabase } from '../adapters/sqlite/database.js';
import { SqliteStore } from '../adapters/sqlite/sqlite-store.js';
import { SqliteBatchStore } from '../adapters/sqlite/batch-store.js';
import { systemClock } from '../adapters/system-clock/system-clock.js';
import type { RowfillConfig } from '../config.js';
import type { Engine, EngineOptions } from '../engine/engine.js';
import type { Logger } from '../ports/logger.js';
import type { ModelClient } from '../ports/model.js';
import type { CheapModeOptions } from '../engine/batch/cheap-options.js';
import { silentLogger } from '../ports/logger.js';
import type { SinkResolver } from '../ports/sheet.js';
import type { OpenAiStandIn, OpenAiStandInOptions } from './dev-wiring.js';
import type { SearchStandInOptions } from './dev-wiring-search.js';
import { LazyResearch } from './lazy-research.js';
import { acquireProcessLock } from './process-lock.js';

export interface EmbeddedRuntimeOptions {
  readonly config: RowfillConfig;
  readonly log?: Logger;
  /** Stand-in settings when no API key is configured. Default: demo latency. */
  readonly standIn?: OpenAiStandInOptions;
  readonly engine?: EngineOptions;
  readonly sinks?: SinkResolver;
  /** Queue dispatch limits. Defaults suit one machine. */
  readonly maxDispatchesPerSecond?: number;
  /** Take the process lock on the state file (default true). */
  readonly lock?: boolean;
  /** `--search-rpm`: searches per minute this process sends at most (default: the adapter's, 100). */
  readonly searchRpm?: number;
  /** Settings of the search stand-in when TAVILY_API_KEY is not set. Default: demo latency. */
  readonly searchStandIn?: SearchStandInOptions;
}

export interface EmbeddedRuntime {
  readonly engine: Engine;
  readonly store: SqliteStore;
  readonly queue: LocalQueue;
  readonly db: SqliteDatabase;
  readonly model: ModelClient;
  /** Set when answers come from the local stand-in. */
  readonly standIn: OpenAiStandIn | undefined;
  readonly simulated: boolean;
  /** Research mode's search and pages, started at the first research row; `simulated` when the local stand-in answers. */
  readonly research: LazyResearch;
  /** Start delivering tasks. */
  start(): void;
  /** Stop delivering, wait for in-flight tasks, close everything. */
  close(): Promise<void>;
}

export async function openEmbeddedRuntime(options: EmbeddedRuntimeOptions): Promise<EmbeddedRuntime> {
  const { config } = options;
  const [{ embeddedAdapters }, { composeEngine }] = await Promise.all([import('../compose/embedded.js'), import('../compose/engine.js')]);
  const release = options.lock === false ? () => undefined : acquireProcessLock(config.dbPath);
  let standIn: OpenAiStandIn | undefined;
  try {
    const db = openDatabase({ path: config.dbPath });
    const log = options.log ?? silentLogger;
    // The stand-in's code is loaded only when it answers: with a key, a job's start-up does not pay for it.
    if (!config.openaiApiKey) standIn = await (await import('./dev-wiring.js')).startStandIn(options.standIn);
    const { store, queue, model, batch } = embeddedAdapters({
      db,
      log,
      model: standIn ? { apiKey: 'sk-local-stand-in', baseURL: standIn.url, simulated: true } : { apiKey: config.openaiApiKey ?? '', baseURL: config.openaiBaseUrl },
      recoverInFlight: options.lock !== false,
      maxDispatchesPerSecond: options.maxDispatchesPerSecond ?? 5000,
    });
    const research = new LazyResearch({
      tavilyApiKey: config.tavilyApiKey,
      tavilyBaseUrl: config.tavilyBaseUrl,
      standInPages: config.standInPages,
      ...(options.searchRpm !== undefined ? { searchRpm: options.searchRpm } : {}),
      ...(options.searchStandIn ? { standIn: options.searchStandIn } : {}),
    });
    const engine = composeEngine(
      { store, queue, model, clock: systemClock, log, search: research, pages: research, batch: { ...batch, options: cheapModeOptions(config, standIn !== undefined) }, ...(options.sinks ? { sinks: options.sinks } : {}) },
      { ...(config.prices ? { prices: config.prices } : {}), ...options.engine },
    );
    const runningStandIn = standIn;
    let closed = false;
    return {
      engine,
      store,
      queue,
      db,
      model,
      standIn,
      simulated: model.simulated,
      research,
      start: () => queue.start(engine.handleTask),
      async close() {
        if (closed) return;
        closed = true;
        await queue.stop();
        await store.close();
        db.close();
        await research.close();
        await runningStandIn?.close();
        release();
      },
    };
  } catch (error) {
    await standIn?.close();
    release();
    throw error;
  }
}

/** The store alone, for commands that only read jobs: no lock, no queue, no model client, no stand-in. */
export interface EmbeddedStore {
  readonly store: SqliteStore;
  /** Cheap mode's batch records, for `rowfill status`. */
  readonly batches: SqliteBatchStore;
  close(): Promise<void>;
}

export function openEmbeddedStore(dbPath: string): EmbeddedStore {
  const db = openDatabase({ path: dbPath });
  try {
    const store = new SqliteStore(db);
    return {
      store,
      batches: new SqliteBatchStore(db),
      async close() {
        await store.close();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * How often cheap mode polls a batch: from 30 s up to 10 min against OpenAI (a batch takes minutes to hours), from
 * 250 ms against the local stand-in (its batches end in seconds); ROWFILL_BATCH_POLL_MS sets the first wait (up to 8×).
 */
function cheapModeOptions(config: RowfillConfig, standIn: boolean): CheapModeOptions {
  // The process lock makes this the only process on the file: a fixed step holder takes a crashed run's holds back.
  const limit = { stepHolder: 'embedded', ...(config.batchEnqueuedTokens !== undefined ? { enqueuedTokenLimit: config.batchEnqueuedTokens } : {}) };
  if (config.batchPollMs !== undefined) return { pollMinMs: config.batchPollMs, pollMaxMs: config.batchPollMs * 8, ...limit };
  return { ...(standIn ? { pollMinMs: 250, pollMaxMs: 2000 } : { pollMinMs: 30_000, pollMaxMs: 600_000 }), ...limit };
}
