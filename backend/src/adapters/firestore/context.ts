// What every store step shares: where documents live, the optimistic-commit runner, local turn-taking and shard counts.
import type { DocumentSnapshot, Firestore } from '@google-cloud/firestore';
import { KeyedMutex } from './keyed-mutex.js';
import { Layout, shardOf } from './layout.js';
import { GroupCommitter } from './group-commit.js';
import { GroupReader } from './group-read.js';
import type { Attempt, Channel } from './occ.js';
import { isLostRace, runOcc } from './occ.js';
import type { ResolvedFirestoreStoreOptions } from './options.js';
import { maxCounterShards } from './options.js';
import type { JobDoc, RowDoc } from './records.js';
import { SnapshotCache } from './snapshot-cache.js';

/** Jobs whose counter-shard count a store remembers (a number each; the oldest learned is forgotten first). */
const JOBS_REMEMBERED = 10_000;
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
  /** The fewest counter shards a new job gets (options.counterShards); shard-sizing.ts gives a fast job more. */
  readonly counterShards: number;
  /** The most counter shards a job may have (options.ts maxCounterShards). */
  readonly maxCounterShards: number;
  readonly windowShards: number;
  /** Each job's counter-shard count as learned from its document: it never changes for a job. */
  private readonly jobShards = new Map<string, number>();
  /** Document reads and optimistic commits, grouped with other steps' in flight at the same time. */
  readonly channel: Channel;

  constructor(private readonly options: ResolvedFirestoreStoreOptions) {
    this.db = options.firestore;
    const reader = new GroupReader(options.firestore, GROUP_IN_FLIGHT);
    const committer = new GroupCommitter(options.firestore, GROUP_IN_FLIGHT, isLostRace);
    this.layout = new Layout(options.firestore, options.rootPath);
    const jobs = this.layout.jobs().path;
    // Every job document read through the channel (getJob, a transition, a budget claim) teaches its shard count.
    const learn = (snapshots: DocumentSnapshot[]): DocumentSnapshot[] => {
      for (const snapshot of snapshots) if (snapshot.exists && snapshot.ref.parent.path === jobs) this.learnJob(snapshot.data() as JobDoc);
      return snapshots;
    };
    this.channel = { getAll: (refs) => reader.getAll(refs).then(learn), commit: (step) => committer.commit(step) };
    this.counterShards = options.counterShards;
    this.maxCounterShards = maxCounterShards(options.windowShards);
    this.windowShards = options.windowShards;
  }

  /** Remembers a job's counter-shard count from its document (or the one createJob just wrote). */
  learnJob(doc: Pick<JobDoc, 'id' | 'counterShards'>): void {
    if (this.jobShards.has(doc.id) || !Number.isSafeInteger(doc.counterShards)) return;
    this.jobShards.set(doc.id, doc.counterShards);
    if (this.jobShards.size > JOBS_REMEMBERED) this.jobShards.delete(this.jobShards.keys().next().value!);
  }

  /** The job's counter-shard count when this process has seen its document, else undefined. */
  knownCounterShards(jobId: string): number | undefined {
    return this.jobShards.get(jobId);
  }

  /**
   * The counter-shard count to hash a row by before reading anything: the job's own when seen here (a row task reads
   * its job first, so nearly always), else the store's configured count — a wrong guess costs a claim or finish one
   * more read (the row names its shard), never a wrong answer.
   */
  counterShardsOf(jobId: string): number {
    return this.jobShards.get(jobId) ?? this.counterShards;
  }

  /**
   * The counter shard a row step should take its turn on and read before reading the row: the one the row names when
   * this process has seen the row (a task reads its row before claiming it, and its claim wrote it before its finish),
   * else the hash that jobs stored before rows were dealt out (add-rows.ts) used. A wrong guess costs one read.
   */
  shardGuess(jobId: string, rowId: string): number {
    const seen = this.seen.get(this.layout.row(jobId, rowId).path)?.data as Partial<RowDoc> | undefined;
    return typeof seen?.shard === 'number' ? seen.shard : shardOf(rowId, this.counterShardsOf(jobId));
  }

  /** Reports a commit made outside `occ` (a server transaction) to the onCommit observer. */
  noteCommit(paths: readonly string[]): void {
    this.options.onCommit?.(paths.map((path) => ({ path, kind: 'write' as const })));
  }

  occ<T>(label: string, step: (attempt: Attempt) => Promise<T>): Promise<T> {
    return runOcc({ db: this.db, channel: this.channel, cache: this.seen, maxAttempts: this.options.maxCommitAttempts, onCommit: this.options.onCommit, onLostRace: this.options.onLostRace }, label, step);
  }
}
