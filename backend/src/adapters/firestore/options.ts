// The FirestoreStore's options: what each means, its default, and the checks that reject a bad value at construction.
import { Firestore } from '@google-cloud/firestore';

/** One document a commit touched: `write` changed it, `pin` only asserted it was unchanged since it was read. */
export interface CommitTouch {
  readonly path: string;
  readonly kind: 'write' | 'pin';
}

export interface FirestoreStoreOptions {
  /** The client to use. The store never closes it unless `closeFirestore` is true: whoever created it owns it. */
  readonly firestore: Firestore;
  /**
   * The document under which everything lives (`<rootPath>/jobs/…`, `<rootPath>/cache/…`), e.g. `rowfill/default`.
   * Two stores on different roots share nothing, which is how tests and environments stay apart.
   */
  readonly rootPath: string;
  /**
   * The fewest counter shards a new job gets (status counts, spend, reservations, budget allowance). Default 128; an
   * integer from 1 to `maxCounterShards(windowShards)` (482 with the default 16 window shards). Each fast job gets
   * more when its config says it may go faster (shard-sizing.ts): a claim and a finish write one shard each, so a
   * shard takes 2 × rows/s ÷ shards writes a second (the hottest ~1.25× that, from the hash), and a job gets
   * ⌈2 × rows/s × 1.3⌉ shards — 128 at up to ~49 rows/s, 434 at 10,000 requests/min (167 rows/s). The count is fixed
   * for the job's life and stored on its document. More shards cost wider reads: counts() and a dry budget read all
   * of them. Cheap jobs get this count, at most 200 (a batch claim writes every shard in one commit).
   */
  readonly counterShards?: number;
  /** Window shards per new job (dispatched-slot counters; one is written per dispatch). An integer from 1 to 64. Default 16. */
  readonly windowShards?: number;
  /** How many times one step re-reads and re-commits after losing a race before giving up. An integer from 1 up. Default 400. */
  readonly maxCommitAttempts?: number;
  /** Terminate the Firestore client when the store closes. Default false. */
  readonly closeFirestore?: boolean;
  /** Told about every successful commit (for measuring document write rates). Must not throw. */
  readonly onCommit?: (touches: readonly CommitTouch[]) => void;
  /** Told each time a step lost a race and re-runs (for measuring contention). Must not throw. */
  readonly onLostRace?: (step: string) => void;
}

export interface ResolvedFirestoreStoreOptions {
  readonly firestore: Firestore;
  readonly rootPath: string;
  readonly counterShards: number;
  readonly windowShards: number;
  readonly maxCommitAttempts: number;
  readonly closeFirestore: boolean;
  readonly onCommit: ((touches: readonly CommitTouch[]) => void) | undefined;
  readonly onLostRace: ((step: string) => void) | undefined;
}

export const FIRESTORE_STORE_DEFAULTS = { counterShards: 128, windowShards: 16, maxCommitAttempts: 400, closeFirestore: false } as const;

/** Firestore's limit on writes in one commit. */
export const MAX_COMMIT_WRITES = 500;

/**
 * The most counter shards a job may have: createJob creates, and every status transition (transition-job.ts) rewrites,
 * the job document, every counter shard, every window shard and the budget pool in one commit of at most 500 writes.
 * (A finish that overran its reservation rewrites every counter shard with its row, the pool, the hold, the cache
 * entry and the registry entry: fewer.)
 */
export function maxCounterShards(windowShards: number): number {
  return MAX_COMMIT_WRITES - 2 - windowShards;
}

export function resolveFirestoreStoreOptions(options: FirestoreStoreOptions): ResolvedFirestoreStoreOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('FirestoreStore: options must be an object');
  if (!(options.firestore instanceof Firestore)) throw new TypeError('FirestoreStore: options.firestore must be a Firestore client');
  if (typeof options.rootPath !== 'string' || !isDocumentPath(options.rootPath)) {
    throw new TypeError('FirestoreStore: options.rootPath must be a document path such as "rowfill/default" (an even number of non-empty segments)');
  }
  const integer = (name: string, value: number | undefined, min: number, max: number, fallback: number): number => {
    if (value === undefined) return fallback;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `from ${min} up` : `from ${min} to ${max}`;
      throw new RangeError(`FirestoreStore: options.${name} must be an integer ${range}, got ${String(value)}`);
    }
    return value;
  };
  if (options.closeFirestore !== undefined && typeof options.closeFirestore !== 'boolean') {
    throw new TypeError('FirestoreStore: options.closeFirestore must be a boolean');
  }
  if (options.onCommit !== undefined && typeof options.onCommit !== 'function') throw new TypeError('FirestoreStore: options.onCommit must be a function');
  if (options.onLostRace !== undefined && typeof options.onLostRace !== 'function') throw new TypeError('FirestoreStore: options.onLostRace must be a function');
  const windowShards = integer('windowShards', options.windowShards, 1, 64, FIRESTORE_STORE_DEFAULTS.windowShards);
  return {
    firestore: options.firestore,
    rootPath: options.rootPath,
    counterShards: integer('counterShards', options.counterShards, 1, maxCounterShards(windowShards), FIRESTORE_STORE_DEFAULTS.counterShards),
    windowShards,
    maxCommitAttempts: integer('maxCommitAttempts', options.maxCommitAttempts, 1, Number.MAX_SAFE_INTEGER, FIRESTORE_STORE_DEFAULTS.maxCommitAttempts),
    closeFirestore: options.closeFirestore ?? FIRESTORE_STORE_DEFAULTS.closeFirestore,
    onCommit: options.onCommit,
    onLostRace: options.onLostRace,
  };
}

/** Firestore document ids may not contain `/`, be `.` or `..`, or look like `__name__`. */
function isDocumentPath(path: string): boolean {
  const segments = path.split('/');
  return segments.length % 2 === 0 && segments.every((s) => s.length > 0 && s !== '.' && s !== '..' && !/^__.*__$/.test(s));
}
