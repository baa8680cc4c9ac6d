// Where a row's store time goes: one job through the real engine over FirestoreStore (emulator) and SqliteStore, per row.
//
//   node --import tsx bench/tools/firestore-profile.ts [--rows 2000] [--workers 40|auto] [--rpm N] [--latency-ms 30] [--stores firestore,sqlite] [--counter-shards N]
//
// Counts, per row: Firestore RPCs by method, documents read, commits (batch writes and transactions), lost races
// (optimistic retries) and the time spent in each Store method (a timing decorator around the Store, here, not in src),
// and the hottest non-row document's writes: over the whole run, and the most in any 30 s and any 60 s (sustained).
// Uses FIRESTORE_EMULATOR_HOST when set, else starts `gcloud emulators firestore start` on a free 127.0.0.1 port.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Firestore } from '@google-cloud/firestore';
import { FirestoreStore } from '../../backend/src/adapters/firestore/index.js';
import { LocalQueue } from '../../backend/src/adapters/local-queue/index.js';
import { OpenAiModelClient } from '../../backend/src/adapters/openai/openai-model-client.js';
import { openDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../backend/src/adapters/sqlite/sqlite-store.js';
import { systemClock } from '../../backend/src/adapters/system-clock/system-clock.js';
import { composeEngine } from '../../backend/src/compose/engine.js';
import type { Store } from '../../backend/src/ports/store.js';
import { startOpenAiStandIn } from '../../local/openai/server.js';
import { startFirestoreEmulator, type BenchEmulator } from '../lib/firestore-emulator.js';
import { benchJobConfig } from '../lib/job-config.js';

interface Args {
  readonly rows: number;
  readonly workers: number | 'auto';
  /** The job's requests per minute (the provider's limit it paces to); undefined: the model's default. */
  readonly rpm: number | undefined;
  readonly latencyMs: number;
  readonly stores: readonly string[];
  /** FirestoreStore's counterShards; undefined: its default. */
  readonly counterShards: number | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (name: string, fallback: string): string => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
  };
  const workers = value('--workers', '40');
  return {
    rows: Number(value('--rows', '2000')),
    workers: workers === 'auto' ? 'auto' : Number(workers),
    rpm: argv.includes('--rpm') ? Number(value('--rpm', '')) : undefined,
    latencyMs: Number(value('--latency-ms', '30')),
    stores: value('--stores', 'firestore,sqlite').split(','),
    counterShards: argv.includes('--counter-shards') ? Number(value('--counter-shards', '')) : undefined,
  };
}

/** Calls and milliseconds per key. */
class Tally {
  readonly calls = new Map<string, number>();
  readonly ms = new Map<string, number>();
  add(key: string, n = 1, ms = 0): void {
    this.calls.set(key, (this.calls.get(key) ?? 0) + n);
    this.ms.set(key, (this.ms.get(key) ?? 0) + ms);
  }
}

/** Which Store method an RPC was sent for. */
const inMethod = new AsyncLocalStorage<string>();

/** The Store with every method timed (wall time per call, concurrent calls each counted in full). */
function timedStore(store: Store, tally: Tally): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const member = Reflect.get(target, property, receiver) as unknown;
      if (typeof member !== 'function' || typeof property !== 'string') return member;
      return (...args: unknown[]) => {
        const started = performance.now();
        const result = inMethod.run(property, () => (member as (...a: unknown[]) => unknown).apply(target, args));
        if (result instanceof Promise) return result.finally(() => tally.add(property, 1, performance.now() - started));
        tally.add(property, 1, performance.now() - started);
        return result;
      };
    },
  });
}

/**
 * Counts the client's RPCs by method and the documents each read returned, by wrapping the client's two request
 * funnels (internal API of @google-cloud/firestore 8: `request` for unary calls, `requestStream` for reads).
 */
function countRpcs(firestore: Firestore, rpcs: Tally, docs: Tally): void {
  const client = firestore as unknown as {
    request: (method: string, ...rest: unknown[]) => Promise<unknown>;
    requestStream: (method: string, ...rest: unknown[]) => Promise<NodeJS.ReadableStream>;
  };
  const request = client.request.bind(firestore);
  const requestStream = client.requestStream.bind(firestore);
  client.request = (method, ...rest) => {
    rpcs.add(method);
    rpcs.add(`${inMethod.getStore() ?? '?'} ${method}`);
    return request(method, ...rest);
  };
  client.requestStream = async (method, ...rest) => {
    rpcs.add(method);
    const storeMethod = inMethod.getStore() ?? '?';
    rpcs.add(`${storeMethod} ${method}`);
    const stream = await requestStream(method, ...rest);
    const emit = stream.emit.bind(stream);
    stream.emit = ((event: string | symbol, ...data: unknown[]) => {
      if (event === 'data') {
        const chunk = data[0] as { found?: unknown; missing?: unknown; document?: unknown; result?: unknown } | undefined;
        if (chunk?.found || chunk?.document || chunk?.result) {
          docs.add(method);
          docs.add(`${storeMethod} ${method}`);
        }
        else if (chunk?.missing) docs.add(`${method} (missing)`);
      }
      return emit(event, ...data);
    }) as typeof stream.emit;
    return stream;
  };
}

interface Measured {
  readonly store: string;
  readonly makespanMs: number;
  readonly done: number;
  readonly storeTally: Tally;
  readonly rpcs: Tally;
  readonly docs: Tally;
  readonly lostRaces: Tally;
  readonly commits: number;
  readonly hottest: { readonly path: string; readonly writes: number } | undefined;
  /** Per stretch in PEAK_WINDOWS_MS: the non-row document with the most writes in any such stretch, and how many. */
  readonly peaks: ReadonlyArray<{ readonly windowMs: number; readonly path: string; readonly writes: number } | undefined>;
  /** The job's counter shards (as its document says). */
  readonly counterShards: number | undefined;
}

/** The stretches over which the hottest document's sustained rate is taken (shorter ones mostly show chance: the worst of 434 shards gets ~6 of some 300 consecutive rows). */
const PEAK_WINDOWS_MS = [30_000, 60_000];

/** The most of `times` (ascending) that fall within any `windowMs`. */
function mostWithin(times: readonly number[], windowMs: number): number {
  let most = 0;
  for (let end = 0, start = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

async function runJob(args: Args, storeName: string, emulatorHost: string | undefined, modelUrl: string): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-fs-profile-'));
  const queueDb = openDatabase({ path: join(dir, 'queue.db') });
  const storeTally = new Tally();
  const rpcs = new Tally();
  const docs = new Tally();
  const lostRaces = new Tally();
  const writesPerDoc = new Map<string, number>();
  const writeTimes = new Map<string, number[]>();
  let commits = 0;
  const rootPath = `profile/${Date.now()}`;
  let firestore: Firestore | undefined;
  let rawStore: Store;
  let storeDb: ReturnType<typeof openDatabase> | undefined;
  if (storeName === 'firestore') {
    firestore = new Firestore({ projectId: 'rowfill-profile', host: emulatorHost, ssl: false });
    countRpcs(firestore, rpcs, docs);
    rawStore = new FirestoreStore({
      firestore,
      rootPath,
      ...(args.counterShards !== undefined ? { counterShards: args.counterShards } : {}),
      onCommit: (touches) => {
        commits++;
        const at = performance.now();
        for (const touch of touches) {
          if (touch.kind !== 'write') continue;
          writesPerDoc.set(touch.path, (writesPerDoc.get(touch.path) ?? 0) + 1);
          if (touch.path.includes('/rows/')) continue;
          const times = writeTimes.get(touch.path) ?? [];
          times.push(at);
          writeTimes.set(touch.path, times);
        }
      },
      onLostRace: (step) => lostRaces.add(step),
    });
  } else {
    storeDb = openDatabase({ path: join(dir, 'store.db') });
    rawStore = new SqliteStore(storeDb);
  }
  const store = timedStore(rawStore, storeTally);
  const queue = new LocalQueue({ db: queueDb, clock: systemClock, maxDispatchesPerSecond: 10_000, maxConcurrentDispatches: 1000 });
  const model = new OpenAiModelClient({ apiKey: 'sk-profile', baseURL: modelUrl, simulated: true });
  const engine = composeEngine({ store, queue, model, clock: systemClock });
  const rows = Array.from({ length: args.rows }, (_, i) => ({ rowId: `r${i}`, rowNumber: i + 2, inputs: { Brand: `Brand ${i}`, Website: `https://b${i}.example`, Country: i % 2 ? 'Sweden' : 'Japan' } }));
  queue.start(engine.handleTask);
  const started = performance.now();
  const job = await engine.startJob({ owner: 'profile', target: { kind: 'file', source: `/profile/${storeName}.csv`, out: `/profile/${storeName}.out.csv` }, config: benchJobConfig({ workers: args.workers, budgetUsd: 50, ...(args.rpm !== undefined ? { rpm: args.rpm } : {}) }), rows });
  // Polled on the raw store, every 100 ms and the job document only, so the watching costs the store little and is not
  // counted as the job's own work (its RPCs are, at ~0.1 a row on Firestore).
  const active = new Set(['preparing', 'running']);
  while (active.has((await rawStore.getJob(job.id))?.status ?? 'gone')) await new Promise((resolve) => setTimeout(resolve, 100));
  const makespanMs = performance.now() - started;
  const counts = await rawStore.counts(job.id);
  const jobDoc = firestore === undefined ? undefined : (await firestore.collection(`${rootPath}/jobs`).where('id', '==', job.id).get()).docs[0]?.data();
  await queue.stop();
  await rawStore.close?.();
  if (firestore !== undefined) await firestore.terminate();
  storeDb?.close();
  queueDb.close();
  rmSync(dir, { recursive: true, force: true });
  const hottest = [...writesPerDoc.entries()].filter(([path]) => !path.includes('/rows/')).sort((a, b) => b[1] - a[1])[0];
  const peaks = PEAK_WINDOWS_MS.map((windowMs) => [...writeTimes.entries()].map(([path, times]) => ({ windowMs, path, writes: mostWithin(times, windowMs) })).sort((a, b) => b.writes - a.writes)[0]);
  const counterShards = typeof jobDoc?.counterShards === 'number' ? jobDoc.counterShards : undefined;
  return { store: storeName, makespanMs, done: counts.done, storeTally, rpcs, docs, lostRaces, commits, hottest: hottest && { path: hottest[0], writes: hottest[1] }, peaks, counterShards };
}

function report(args: Args, m: Measured): void {
  const per = (n: number) => (n / args.rows).toFixed(2);
  const out: string[] = [];
  out.push(`\n== ${m.store}: ${args.rows} rows, ${args.workers} workers, ${args.latencyMs} ms model: ${(m.makespanMs / 1000).toFixed(1)} s (${(args.rows / (m.makespanMs / 1000)).toFixed(0)} rows/s), ${m.done} done`);
  out.push('  store method            calls/row   ms/call   ms/row (summed over concurrent calls)');
  for (const [method, calls] of [...m.storeTally.calls.entries()].sort((a, b) => (m.storeTally.ms.get(b[0]) ?? 0) - (m.storeTally.ms.get(a[0]) ?? 0))) {
    const ms = m.storeTally.ms.get(method) ?? 0;
    out.push(`  ${method.padEnd(22)} ${per(calls).padStart(9)} ${(ms / calls).toFixed(1).padStart(9)} ${(ms / args.rows).toFixed(1).padStart(8)}`);
  }
  if (m.store === 'firestore') {
    const rpcs = [...m.rpcs.calls.entries()];
    out.push('  Firestore RPCs per row: ' + rpcs.filter(([k]) => !k.includes(' ')).map(([k, v]) => `${k} ${per(v)}`).join(', '));
    out.push('  by store method: ' + rpcs.filter(([k]) => k.includes(' ')).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${per(v)}`).join(', '));
    const docs = [...m.docs.calls.entries()];
    out.push('  documents read per row: ' + docs.filter(([k]) => !k.includes(' ') || k.endsWith('(missing)')).map(([k, v]) => `${k} ${per(v)}`).join(', '));
    out.push('  by store method: ' + docs.filter(([k]) => k.includes(' ') && !k.endsWith('(missing)')).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${per(v)}`).join(', '));
    out.push(`  commits per row (onCommit: optimistic batches + dispatch transactions): ${per(m.commits)}; Commit RPCs per row: ${per(m.rpcs.calls.get('commit') ?? 0)}`);
    const lost = [...m.lostRaces.calls.values()].reduce((a, b) => a + b, 0);
    out.push(`  lost races per row: ${per(lost)} (${[...m.lostRaces.calls.entries()].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})`);
    if (m.hottest) out.push(`  hottest non-row document: ${m.hottest.path.split('/').slice(-2).join('/')} ${m.hottest.writes} writes (${(m.hottest.writes / (m.makespanMs / 1000)).toFixed(2)}/s over the run)`);
    const peaks = m.peaks.filter((peak) => peak !== undefined).map((peak) => `any ${peak.windowMs / 1000} s: ${peak.path.split('/').slice(-2).join('/')} ${peak.writes} writes (${(peak.writes / (peak.windowMs / 1000)).toFixed(2)}/s)`);
    out.push(`  hottest non-row document over ${peaks.join('; ') || 'none'}; the job has ${m.counterShards ?? '?'} counter shards`);
  }
  process.stdout.write(out.join('\n') + '\n');
}



async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  let emulator: BenchEmulator | undefined;
  let host = process.env.FIRESTORE_EMULATOR_HOST;
  if (args.stores.includes('firestore') && !host) {
    emulator = await startFirestoreEmulator();
    host = emulator.host;
  }
  const standIn = await startOpenAiStandIn({ latencyMs: args.latencyMs });
  try {
    for (const store of args.stores) report(args, await runJob(args, store, host, standIn.url));
  } finally {
    await standIn.close();
    await emulator?.stop();
  }
}

await main();
