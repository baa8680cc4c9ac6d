// Test wiring of the real engine over SQLite, the local queue and the OpenAI stand-in through the real SDK.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalQueue } from '../../backend/src/adapters/local-queue/index.js';
import { OpenAiModelClient } from '../../backend/src/adapters/openai/openai-model-client.js';
import { openDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../backend/src/adapters/sqlite/sqlite-store.js';
import { systemClock } from '../../backend/src/adapters/system-clock/system-clock.js';
import { composeEngine } from '../../backend/src/compose/engine.js';
import type { Engine, EngineOptions, Progress, SourceRow } from '../../backend/src/engine/engine.js';
import { buildOutputSchema } from '../../backend/src/engine/output-schema.js';
import { parseJobConfig } from '../../backend/src/engine/job-config.js';
import type { FileTarget, JobConfig, Outputs } from '../../backend/src/ports/domain.js';
import type { Store } from '../../backend/src/ports/store.js';
import { simulateAnswer } from '../../local/openai/schema-answer.js';
import { startOpenAiStandIn, type OpenAiStandIn, type OpenAiStandInOptions } from '../../local/openai/server.js';

export interface Harness {
  readonly engine: Engine;
  readonly store: SqliteStore;
  readonly queue: LocalQueue;
  readonly standIn: OpenAiStandIn;
  readonly dir: string;
  /** Follow a job's progress until it settles; returns the last snapshot. */
  settle(jobId: string, timeoutMs?: number): Promise<Progress>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly standIn?: OpenAiStandInOptions;
  readonly engine?: EngineOptions;
  readonly apiKey?: string;
  /** Leave the queue stopped so a test can deliver tasks by hand. */
  readonly startQueue?: boolean;
  /** What the engine sees of the store (e.g. a slower one); the harness's own reads use the store itself. */
  readonly engineStore?: (store: SqliteStore) => Store;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-test-'));
  const db = openDatabase({ path: join(dir, 'rowfill.db') });
  const store = new SqliteStore(db);
  const queue = new LocalQueue({ db, clock: systemClock, pollIntervalMs: 20, maxDispatchesPerSecond: 5000, minBackoffMs: 20, maxBackoffMs: 2000 });
  const standIn = await startOpenAiStandIn(options.standIn ?? {});
  const model = new OpenAiModelClient({ apiKey: options.apiKey ?? 'sk-test', baseURL: standIn.url, simulated: true });
  const engine = composeEngine(
    { store: options.engineStore?.(store) ?? store, queue, model, clock: systemClock },
    { pumpIntervalMs: 100, backoff: { baseMs: 50, capMs: 500 }, ...options.engine },
  );
  if (options.startQueue !== false) queue.start(engine.handleTask);
  return {
    engine,
    store,
    queue,
    standIn,
    dir,
    async settle(jobId, timeoutMs = 60_000) {
      const signal = AbortSignal.timeout(timeoutMs);
      let last: Progress | undefined;
      for await (const p of engine.progress(jobId, { intervalMs: 50, signal })) last = p;
      if (!last?.settled) throw new Error(`job ${jobId} did not settle within ${timeoutMs} ms: ${JSON.stringify(last?.counts)}`);
      return last;
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

/** The store with some of its methods wrapped, for `engineStore`: each wrapper is given the real (bound) method. */
export function wrapStore(store: Store, wrappers: { readonly [K in keyof Store]?: (real: Store[K]) => Store[K] }): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const real = (value as (...args: unknown[]) => unknown).bind(target);
      const wrap = (wrappers as Record<PropertyKey, ((real: unknown) => unknown) | undefined>)[key];
      return wrap ? wrap(real) : real;
    },
  });
}

export const BRANDS = ['Patagonia', 'Lego', 'IKEA', 'Nintendo', 'Heineken', 'Adidas', 'Muji', 'Zara', 'Rolex', 'Volvo'];

/** `n` rows with distinct inputs (so the cache does not collapse them). */
export function brandRows(n: number, offset = 0): SourceRow[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i + offset;
    return { rowId: `r${k}`, rowNumber: k + 2, inputs: { Brand: `${BRANDS[k % BRANDS.length]} ${k}`, Country: k % 2 ? 'Sweden' : 'Japan' } };
  });
}

/** A job config parsed as the edge parses one (the engine takes it parsed), with `patch` over the defaults below. */
export function jobConfig(patch: Record<string, unknown> = {}): JobConfig {
  return parseJobConfig({
    inputs: ['Brand', 'Country'],
    outputs: [
      { name: 'Category', instruction: 'Main product category' },
      { name: 'Founded', instruction: 'Year founded', type: 'number' },
      { name: 'Website', instruction: 'Official website', type: 'url' },
    ],
    model: 'gpt-4.1-mini',
    workers: 8,
    budgetUsd: 5,
    attemptTimeoutMs: 2000,
    ...patch,
  });
}

/** A file target named `name`: tests that start jobs straight on the engine need a target, and distinct names keep registries apart. */
export function testTarget(name: string): FileTarget {
  return { kind: 'file', source: `/rowfill-test/${name}.csv`, out: `/rowfill-test/${name}-out.csv` };
}

/** What the stand-in answers for a row, mapped to column names exactly as the engine stores it. */
export function expectedOutputs(config: Pick<JobConfig, 'outputs'>, inputs: Readonly<Record<string, string>>): Outputs {
  const schema = buildOutputSchema(config.outputs);
  const parsed = schema.parse(JSON.stringify(simulateAnswer(schema.jsonSchema, inputs)));
  if (!parsed.ok) throw new Error(`stand-in answer invalid: ${parsed.problem}`);
  return parsed.outputs;
}
