// What every store step shares: where documents live, the optimistic-commit runner, local turn-taking and shard counts.
import type { Firestore } from '@google-cloud/firestore';
import { KeyedMutex } from './keyed-mutex.js';
import { Layout } from './layout.js';
import { GroupCommitter } from './group-commit.js';
import { GroupReader } from './group-read.js';
import type { Attempt, Channel } from './occ.js';
import { isLostRace, runOcc } from './occ.js';
import type { ResolvedFirestoreStoreOptions } from './options.js';
import { SnapshotCache } from './snapshot-cache.js';

/** Documents remembered per store: a window's rows and every shard of the jobs in flight, with room to spare. */
const SEEN_DOCUMENTS = 20_000;
/**
 * Reads (and commits) on their way at once before the next ones wait and go together. Low, so that with a window of
 * rows in flight most steps share a round trip; at least two, so a lone step never waits for another's.
 */
const GROUP_IN_FLIGHT = 2;

export class StoreContext {
  readonly db: Firestore;
  readonly layout: Layout;
  readonly mutex = new KeyedMutex();
  /** What this process last read or wrote of each document, for steps that may skip a read (occ.ts). */
  readonly seen = new SnapshotCache(SEEN_DOCUMENTS);
  readonly counterShards: number;
  readonly windowShards: number;
  /** Document reads and optimistic commits, grouped with other steps' in flight at the same time. */
  readonly channel: Channel;

  constructor(private readonly options: ResolvedFirestoreStoreOptions) {
    this.db = options.firestore;
    const reader = new GroupReader(options.firestore, GROUP_IN_FLIGHT);
    const committer = new GroupCommitter(options.firestore, GROUP_IN_FLIGHT, isLostRace);
    this.channel = { getAll: (refs) => reader.getAll(refs), commit: (step) => committer.commit(step) };
    this.layout = new Layout(options.firestore, options.rootPath);
    this.counterShards = options.counterShards;
    this.windowShards = options.windowShards;
  }

  /** Reports a commit made outside `occ` (a server transaction) to the onCommit observer. */
  noteCommit(paths: readonly string[]): void {
    this.options.onCommit?.(paths.map((path) => ({ path, kind: 'write' as const })));
  }

  occ<T>(label: string, step: (attempt: Attempt) => Promise<T>): Promise<T> {
    return runOcc({ db: this.db, channel: this.channel, cache: this.seen, maxAttempts: this.options.maxCommitAttempts, onCommit: this.options.onCommit, onLostRace: this.options.onLostRace }, label, step);
  }
}
