// Counts what a Firestore client asks of the server, RPC by RPC: commits, writes per document, documents read.
import type { Firestore } from '@google-cloud/firestore';

/**
 * The emulator has no usage metrics, so the bench counts at the client's one funnel for every RPC: `request` (unary:
 * commit, beginTransaction, rollback, batchWrite…) and `requestStream` (batchGetDocuments, runQuery…), whose answers
 * pass through `_initializeStream`. Those are internal methods of @google-cloud/firestore (build/src/index.js):
 * `countFirestore` refuses to start when they are missing, so a library upgrade cannot silently count zero.
 */
interface FirestoreInternals {
  request(method: string, request: unknown, ...rest: unknown[]): Promise<unknown>;
  requestStream(method: string, bidirectional: boolean, request: unknown, ...rest: unknown[]): Promise<NodeJS.ReadableStream>;
  _initializeStream(backend: NodeJS.ReadableStream, ...rest: unknown[]): Promise<NodeJS.ReadableStream>;
}

export interface HotDocument {
  /** Path under the store's root, ids replaced by `{id}` (e.g. `jobs/{id}/counters/7`). */
  readonly path: string;
  readonly writes: number;
  /** Most writes it took within one wall-clock second. */
  readonly peakPerSecond: number;
}

export interface FirestoreCounts {
  /** RPCs by method name, as sent (retries of the client included). */
  readonly rpcs: Readonly<Record<string, number>>;
  /** RPCs answered with an error, by method (lost races: ABORTED, FAILED_PRECONDITION). */
  readonly rpcErrors: Readonly<Record<string, number>>;
  /** Commit RPCs answered OK. */
  readonly commits: number;
  /** Document writes carried by commits and batch writes (each counted once per commit, answered or not). */
  readonly writes: number;
  /** Documents returned by lookups and queries, plus one for each query that returned none (Firestore's minimum charge). */
  readonly documentReads: number;
  /** Distinct documents written. */
  readonly documentsWritten: number;
  /** The most written documents, most first. */
  readonly hottest: readonly HotDocument[];
}

export interface FirestoreCounter {
  counts(): FirestoreCounts;
}

interface DocTally {
  writes: number;
  second: number;
  inSecond: number;
  peak: number;
}

interface StreamTally {
  documents: number;
}

const internalsMissing = 'countFirestore: this @google-cloud/firestore has no request/requestStream/_initializeStream; update bench/cloud/firestore-counter.ts';

/** Wraps the client's RPC funnel in place; every later call through `firestore` is counted. */
export function countFirestore(firestore: Firestore, rootPath: string): FirestoreCounter {
  const client = firestore as unknown as FirestoreInternals;
  if (typeof client.request !== 'function' || typeof client.requestStream !== 'function' || typeof client._initializeStream !== 'function') {
    throw new Error(internalsMissing);
  }
  const rpcs: Record<string, number> = {};
  const rpcErrors: Record<string, number> = {};
  const docs = new Map<string, DocTally>();
  const streams = new WeakMap<object, StreamTally>();
  let commits = 0;
  let writes = 0;
  let documentReads = 0;
  const bump = (table: Record<string, number>, key: string): void => {
    table[key] = (table[key] ?? 0) + 1;
  };
  const wrote = (name: unknown): void => {
    if (typeof name !== 'string') return;
    writes += 1;
    const second = Math.floor(Date.now() / 1000);
    const tally = docs.get(name) ?? { writes: 0, second, inSecond: 0, peak: 0 };
    tally.writes += 1;
    if (tally.second !== second) {
      tally.second = second;
      tally.inSecond = 0;
    }
    tally.inSecond += 1;
    tally.peak = Math.max(tally.peak, tally.inSecond);
    docs.set(name, tally);
  };
  const countWrites = (request: unknown): void => {
    const list = (request as { writes?: readonly Record<string, unknown>[] } | null)?.writes ?? [];
    for (const w of list) {
      const update = w.update as { name?: unknown } | undefined;
      const transform = w.transform as { document?: unknown } | undefined;
      wrote(update?.name ?? w.delete ?? transform?.document);
    }
  };

  const request = client.request.bind(client);
  client.request = async (method, body, ...rest) => {
    bump(rpcs, method);
    if (method === 'commit' || method === 'batchWrite') countWrites(body);
    try {
      const answer = await request(method, body, ...rest);
      if (method === 'commit') commits += 1;
      return answer;
    } catch (error) {
      bump(rpcErrors, method);
      throw error;
    }
  };

  const initialize = client._initializeStream.bind(client);
  client._initializeStream = (backend, ...rest) => {
    const tally: StreamTally = { documents: 0 };
    // The client already reads this stream in flowing mode; one more 'data' listener only looks.
    backend.on('data', (chunk: { found?: unknown; missing?: unknown; document?: unknown }) => {
      if (chunk.found || chunk.missing || chunk.document) tally.documents += 1;
    });
    const result = initialize(backend, ...rest);
    void result.then((stream) => streams.set(stream, tally), () => undefined);
    return result;
  };

  const requestStream = client.requestStream.bind(client);
  client.requestStream = async (method, bidirectional, body, ...rest) => {
    bump(rpcs, method);
    try {
      const stream = await requestStream(method, bidirectional, body, ...rest);
      stream.once('end', () => {
        const documents = streams.get(stream)?.documents ?? 0;
        documentReads += method === 'runQuery' || method === 'runAggregationQuery' ? Math.max(1, documents) : documents;
      });
      return stream;
    } catch (error) {
      bump(rpcErrors, method);
      throw error;
    }
  };

  const prefix = `${rootPath}/`;
  const shortPath = (name: string): string => {
    const relative = name.includes(prefix) ? name.slice(name.indexOf(prefix) + prefix.length) : name;
    return relative.replace(/\b[0-9a-f]{32}\b/g, '{id}');
  };
  return {
    counts: () => ({
      rpcs: { ...rpcs },
      rpcErrors: { ...rpcErrors },
      commits,
      writes,
      documentReads,
      documentsWritten: docs.size,
      hottest: [...docs.entries()]
        .sort((a, b) => b[1].writes - a[1].writes)
        .slice(0, 5)
        .map(([name, t]) => ({ path: shortPath(name), writes: t.writes, peakPerSecond: t.peak })),
    }),
  };
}
