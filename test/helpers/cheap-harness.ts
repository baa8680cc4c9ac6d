// Test wiring of cheap mode: the real engine over SQLite (store, batch records, local queue) and the OpenAI stand-in's Batch API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalQueue } from '../../backend/src/adapters/local-queue/index.js';
import { OpenAiBatchClient } from '../../backend/src/adapters/openai-batch/openai-batch-client.js';
import { OpenAiModelClient } from '../../backend/src/adapters/openai/openai-model-client.js';
import { SqliteBatchStore } from '../../backend/src/adapters/sqlite/batch-store.js';
import { openDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../backend/src/adapters/sqlite/sqlite-store.js';
import { systemClock } from '../../backend/src/adapters/system-clock/system-clock.js';
import { composeEngine } from '../../backend/src/compose/engine.js';
import type { CheapModeOptions } from '../../backend/src/engine/batch/cheap-options.js';
import type { Engine } from '../../backend/src/engine/engine.js';
import { batchPrice, costOf } from '../../backend/src/engine/pricing.js';
import { DEFAULT_PRICES, priceFor } from '../../backend/src/kernel/models.js';
import type { JobCounts } from '../../backend/src/ports/domain.js';
import { startOpenAiStandIn, type OpenAiStandIn, type OpenAiStandInOptions } from '../../local/openai/server.js';

export interface CheapHarness {
  readonly engine: Engine;
  readonly store: SqliteStore;
  readonly batches: SqliteBatchStore;
  readonly client: OpenAiBatchClient;
  readonly standIn: OpenAiStandIn;
  /** The queue the engine schedules its tasks on (pumps included). */
  readonly queue: LocalQueue;
  /** Starts the queue (when the harness was made with `startQueue: false`, to set up a state by hand first). */
  start(): void;
  /** Waits until the job is at rest with no row in a batch (a cancelled job's batches are cancelled and applied first). */
  rest(jobId: string, timeoutMs?: number): Promise<{ status: string; counts: JobCounts }>;
  close(): Promise<void>;
}

export async function startCheapHarness(options: { standIn?: OpenAiStandInOptions; cheap?: CheapModeOptions; maxRequestsPerFile?: number; maxBytesPerFile?: number; startQueue?: boolean } = {}): Promise<CheapHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-cheap-'));
  const db = openDatabase({ path: join(dir, 'rowfill.db') });
  const store = new SqliteStore(db);
  const batches = new SqliteBatchStore(db);
  const queue = new LocalQueue({ db, clock: systemClock, pollIntervalMs: 20, maxDispatchesPerSecond: 5000, minBackoffMs: 20, maxBackoffMs: 2000 });
  const standIn = await startOpenAiStandIn({ batchDelayMs: 300, ...options.standIn });
  const model = new OpenAiModelClient({ apiKey: 'sk-test', baseURL: standIn.url, simulated: true });
  const client = new OpenAiBatchClient({ apiKey: 'sk-test', baseURL: standIn.url, simulated: true, tmpDir: dir, ...(options.maxRequestsPerFile ? { maxRequestsPerFile: options.maxRequestsPerFile } : {}), ...(options.maxBytesPerFile ? { maxBytesPerFile: options.maxBytesPerFile } : {}) });
  const engine = composeEngine(
    { store, queue, model, clock: systemClock, batch: { client, store: batches, options: { pollMinMs: 50, pollMaxMs: 300, ...options.cheap } } },
    { pumpIntervalMs: 100, backoff: { baseMs: 50, capMs: 500 } },
  );
  const start = (): void => queue.start(engine.handleTask);
  if (options.startQueue !== false) start();
  return {
    start,
    engine,
    store,
    batches,
    client,
    standIn,
    queue,
    async rest(jobId, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const { job, counts } = await engine.status(jobId);
        const atRest = job.status === 'completed' || ((job.status === 'cancelled' || job.status === 'paused') && counts.running === 0);
        if (atRest) return { status: job.status, counts };
        if (Date.now() > until) throw new Error(`job ${jobId} not at rest after ${timeoutMs} ms: ${job.status} ${JSON.stringify(counts)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await queue.stop();
      await store.close();
      db.close();
      await standIn.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What the stand-in billed, in USD: requests answered in a batch at batch prices, the others (repairs) at full price. */
export function standInBill(standIn: OpenAiStandIn, model: string): { usd: number; batchRequests: number; fastRequests: number } {
  const price = priceFor(model, DEFAULT_PRICES)!;
  let usd = 0;
  let batchRequests = 0;
  let fastRequests = 0;
  for (const entry of standIn.requestLog) {
    if (!entry.billed) continue;
    const usage = { inputTokens: entry.promptTokens, cachedInputTokens: 0, outputTokens: entry.completionTokens };
    if (entry.batchId) {
      batchRequests++;
      usd += costOf(usage, batchPrice(price));
    } else {
      fastRequests++;
      usd += costOf(usage, price);
    }
  }
  return { usd, batchRequests, fastRequests };
}
