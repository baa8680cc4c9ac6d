// What every store step shares: where documents live, the optimistic-commit runner, local turn-taking and shard counts.
import type { Firestore } from '@google-cloud/firestore';
import { KeyedMutex } from './keyed-mutex.js';
import { Layout } from './layout.js';
import type { Attempt } from './occ.js';
import { runOcc } from './occ.js';
import type { ResolvedFirestoreStoreOptions } from './options.js';

export class StoreContext {
  readonly db: Firestore;
  readonly layout: Layout;
  readonly mutex = new KeyedMutex();
  readonly counterShards: number;
  readonly windowShards: number;

  constructor(private readonly options: ResolvedFirestoreStoreOptions) {
    this.db = options.firestore;
    this.layout = new Layout(options.firestore, options.rootPath);
    this.counterShards = options.counterShards;
    this.windowShards = options.windowShards;
  }

  /** Reports a commit made outside `occ` (a server transaction) to the onCommit observer. */
  noteCommit(paths: readonly string[]): void {
    this.options.onCommit?.(paths.map((path) => ({ path, kind: 'write' as const })));
  }

  occ<T>(label: string, step: (attempt: Attempt) => Promise<T>): Promise<T> {
    return runOcc({ db: this.db, maxAttempts: this.options.maxCommitAttempts, onCommit: this.options.onCommit, onLostRace: this.options.onLostRace }, label, step);
  }
}
