// The Store port on Firestore: the same semantics as the SQLite store, spread so no document is written per row.
//
// Layout (layout.ts): a document per job, per row, per counter shard (128 to 482, by the rate the job may reach:
// shard-sizing.ts) and window shard (16), and a budget pool. Row steps never write the job document; a job's numbers
// are sums over its shards:
//
// - Counters: each row step changes its row and the one counter shard the row hashes to, in one atomic commit, so
//   counts() (a sum over shards) always matches the rows. A claim and a finish write one shard each.
// - Budget (spent + reserved ≤ budget, exactly, across processes): leases (budget.ts). The pool hands allowance to
//   shards (a first share at start, chunks later); a claim reserves from its own shard's allowance, so neither the
//   pool nor the job document is written per row. A claim whose shard is dry reads the pool and every shard at one
//   instant: it answers `budget` only when the reservation truly does not fit, else takes idle allowance from another
//   shard (a row reserves its worst case and usually spends less, so allowance piles up where rows finished), else
//   from the pool.
// - Window (dispatched + running ≤ maxInFlight): in flight = Σ window.dispatched − Σ counter.released, both only
//   growing. Only dispatch writes a window shard (one per call); a row leaving the window bumps `released` on the
//   counter shard it writes anyway (dispatch-rows.ts). Concurrent dispatch calls of one process are merged.
// - Status and budget are copied into every shard by transitionJob, so claims and dispatches rely on documents they
//   touch anyway instead of the job document. Rows a transition must undispatch or cancel are moved in batches
//   behind a mark on the job that every reader finishes first (finish-transition.ts).
// - Cache holds (single flight per cache key, cache-hold.ts): a document per key beside the cache entry; a finished row
//   stores its answer and releases its hold in the commit of its own row step.
// - Concurrency is optimistic (occ.ts): reads take no locks and each commit pins what its step read, which avoids the
//   lock-timeout livelock server transactions hit on contended documents. Dispatch alone is a server transaction: it
//   reads sixteen window shards and writes one, and read locks are cheaper than pinning all of them.
// - Round trips per row: a step commits on what this process last read or wrote of a document when it has it
//   (snapshot-cache.ts; the pins make a stale one a lost race, never a wrong answer), and the reads and commits of
//   steps running at once go to Firestore together (group-read.ts, group-commit.ts). A claim and a finish are then
//   usually no read and a share of one commit each.
import type { Job, JobCounts, JobTarget, NewRow, Row } from '../../ports/domain.js';
import type {
  CacheEntry,
  CacheHoldRequest,
  CacheHoldResult,
  ClaimRequest,
  ClaimResult,
  DispatchedRow,
  DispatchRequest,
  FinishRequest,
  ListRowsRequest,
  NewJob,
  RegistryEntry,
  Store,
  TransitionRequest,
} from '../../ports/store.js';
import { addRows } from './add-rows.js';
import { holdCacheKey, releaseCacheHold } from './cache-hold.js';
import { getCache, getRegistry, putCache } from './cache-registry.js';
import { claimRow } from './claim-row.js';
import { StoreContext } from './context.js';
import { createJob } from './create-job.js';
import { dispatchRows } from './dispatch-rows.js';
import { finishRow } from './finish-row.js';
import { counts, getJob, listJobs } from './job-reads.js';
import type { FirestoreStoreOptions } from './options.js';
import { resolveFirestoreStoreOptions } from './options.js';
import { expireLeases, requeueFailed, undispatchStale } from './recovery.js';
import { getRow, listRows, markAllUnflushed, markFlushed, recentOutcomes } from './row-reads.js';
import { transitionJob } from './transition-job.js';

export class FirestoreStore implements Store {
  private readonly ctx: StoreContext;
  private readonly closeFirestore: boolean;
  private closed = false;

  constructor(options: FirestoreStoreOptions) {
    const resolved = resolveFirestoreStoreOptions(options);
    this.ctx = new StoreContext(resolved);
    this.closeFirestore = resolved.closeFirestore;
  }

  createJob(job: NewJob, now: number): Promise<void> {
    return this.step(() => createJob(this.ctx, job, now));
  }

  addRows(jobId: string, rows: readonly NewRow[]): Promise<void> {
    return this.step(() => addRows(this.ctx, jobId, rows));
  }

  getJob(jobId: string): Promise<Job | undefined> {
    return this.step(() => getJob(this.ctx, jobId));
  }

  listJobs(filter: { readonly target?: JobTarget; readonly limit?: number } = {}): Promise<Job[]> {
    return this.step(() => listJobs(this.ctx, filter));
  }

  transitionJob(jobId: string, request: TransitionRequest): Promise<Job | undefined> {
    return this.step(() => transitionJob(this.ctx, jobId, request));
  }

  dispatchRows(request: DispatchRequest): Promise<DispatchedRow[]> {
    return this.step(() => dispatchRows(this.ctx, request));
  }

  claimRow(request: ClaimRequest): Promise<ClaimResult> {
    return this.step(() => claimRow(this.ctx, request));
  }

  finishRow(request: FinishRequest): Promise<boolean> {
    return this.step(() => finishRow(this.ctx, request));
  }

  expireLeases(jobId: string, now: number): Promise<number> {
    return this.step(() => expireLeases(this.ctx, jobId, now));
  }

  undispatchStale(jobId: string, olderThan: number): Promise<number> {
    return this.step(() => undispatchStale(this.ctx, jobId, olderThan));
  }

  requeueFailed(jobId: string): Promise<number> {
    return this.step(() => requeueFailed(this.ctx, jobId));
  }

  counts(jobId: string): Promise<JobCounts> {
    return this.step(() => counts(this.ctx, jobId));
  }

  recentOutcomes(jobId: string, n: number, since: number): Promise<Array<'done' | 'failed'>> {
    return this.step(() => recentOutcomes(this.ctx, jobId, n, since));
  }

  getRow(jobId: string, rowId: string): Promise<Row | undefined> {
    return this.step(() => getRow(this.ctx, jobId, rowId));
  }

  listRows(request: ListRowsRequest): Promise<Row[]> {
    return this.step(() => listRows(this.ctx, request));
  }

  markFlushed(jobId: string, rowIds: readonly string[]): Promise<void> {
    return this.step(() => markFlushed(this.ctx, jobId, rowIds));
  }

  markAllUnflushed(jobId: string): Promise<number> {
    return this.step(() => markAllUnflushed(this.ctx, jobId));
  }

  getCache(key: string, now: number): Promise<CacheEntry | undefined> {
    return this.step(() => getCache(this.ctx, key, now));
  }

  putCache(key: string, entry: CacheEntry): Promise<void> {
    return this.step(() => putCache(this.ctx, key, entry));
  }

  holdCacheKey(request: CacheHoldRequest): Promise<CacheHoldResult> {
    return this.step(() => holdCacheKey(this.ctx, request));
  }

  releaseCacheHold(key: string, holder: string): Promise<boolean> {
    return this.step(() => releaseCacheHold(this.ctx, key, holder));
  }

  getRegistry(sheetKey: string, rowIds: readonly string[]): Promise<Map<string, RegistryEntry>> {
    return this.step(() => getRegistry(this.ctx, sheetKey, rowIds));
  }


  /** Idempotent. Terminates the Firestore client only when told it owns it (`closeFirestore`). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.closeFirestore) await this.ctx.db.terminate();
  }

  /** Argument errors thrown synchronously by a step become rejections, like every other failure. */
  private async step<T>(run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('FirestoreStore is closed');
    return run();
  }
}
