// The embedded composition's adapters: SQLite store and the local durable queue in one file, the OpenAI client.
// Imported lazily by cli/embedded-runtime.ts, so commands that only read the store never load the queue or the SDK.
import { LocalQueue } from '../adapters/local-queue/index.js';
import { OpenAiBatchClient } from '../adapters/openai-batch/openai-batch-client.js';
import { OpenAiModelClient } from '../adapters/openai/openai-model-client.js';
import { SqliteBatchStore } from '../adapters/sqlite/batch-store.js';
import type { SqliteDatabase } from '../adapters/sqlite/database.js';
import { SqliteStore } from '../adapters/sqlite/sqlite-store.js';
import { systemClock } from '../adapters/system-clock/system-clock.js';
import type { Logger } from '../ports/logger.js';

export interface EmbeddedAdapterOptions {
  readonly db: SqliteDatabase;
  readonly log: Logger;
  /** The OpenAI endpoint: the configured one, or a local stand-in the caller started (then `simulated`). */
  readonly model: { readonly apiKey: string; readonly baseURL?: string | undefined; readonly simulated?: boolean };
  /** Re-deliver tasks left in flight by a crashed process (only the process holding the state file's lock may). */
  readonly recoverInFlight: boolean;
  readonly maxDispatchesPerSecond: number;
}

export interface EmbeddedAdapters {
  readonly store: SqliteStore;
  readonly queue: LocalQueue;
  readonly model: OpenAiModelClient;
  /** Cheap mode: the Batch API at the model client's endpoint and key (the stand-in's when it answers), records in the same file. */
  readonly batch: { readonly client: OpenAiBatchClient; readonly store: SqliteBatchStore };
}

export function embeddedAdapters(options: EmbeddedAdapterOptions): EmbeddedAdapters {
  const { db, log } = options;
  return {
    store: new SqliteStore(db),
    queue: new LocalQueue({
      db,
      clock: systemClock,
      recoverInFlight: options.recoverInFlight,
      maxDispatchesPerSecond: options.maxDispatchesPerSecond,
      maxConcurrentDispatches: 1000,
      // Row tasks are guarded by their dispatch generation and pump names by their time slot, so a name need not
      // dedup for Cloud Tasks' full hour; a short tombstone keeps the table small on million-row jobs.
      tombstoneMs: 120_000,
      logger: log,
    }),
    model: new OpenAiModelClient(options.model),
    batch: { client: new OpenAiBatchClient(options.model), store: new SqliteBatchStore(db) },
  };
}
