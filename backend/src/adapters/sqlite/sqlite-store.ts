// The Store port on SQLite: each method is one synchronous transaction, so every state change is a crash-safe checkpoint.
import { targetKey, type Job, type JobCounts, type JobTarget, type NewRow, type Outputs, type Row } from '../../ports/domain.js';
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
import { holdCacheKey, prepareHoldStatements, releaseCacheHold } from './cache-holds.js';
import type { SqliteDatabase } from './database.js';
import { toCounts, toJob } from './job-mapper.js';
import { addRows, createJob, transitionJob } from './job-lifecycle.js';
import { toRow } from './row-mapper.js';
import { claimRow, dispatchRows, expireLeases, finishRow, requeueFailed, undispatchStale } from './row-lifecycle.js';
import { migrateStoreSchema } from './schema.js';
import { prepareStatements, type Statements } from './statements.js';
import { assertCount, assertTime } from '../../domain/store-arguments.js';

export interface SqliteStoreOptions {
  /**
   * Close the database connection when the store closes. Default false: the connection is shared with the local
   * queue, so whoever opened it closes it.
   */
  readonly closeDatabase?: boolean;
}

/**
 * Writes take SQLite's write lock at BEGIN (`immediate`), so a read-then-write step never meets a lock upgrade that
 * fails under another process's writer: concurrent claims from several processes serialize on the busy timeout.
 */
export class SqliteStore implements Store {
  private readonly db: SqliteDatabase;
  private readonly statements: Statements;
  private readonly closeDatabase: boolean;
  private readonly write: {
    readonly createJob: (job: NewJob, now: number) => void;
    readonly addRows: (jobId: string, rows: readonly NewRow[]) => void;
    readonly transitionJob: (jobId: string, request: TransitionRequest) => Job | undefined;
    readonly dispatchRows: (request: DispatchRequest) => DispatchedRow[];
    readonly claimRow: (request: ClaimRequest) => ClaimResult;
    readonly finishRow: (request: FinishRequest) => boolean;
    readonly expireLeases: (jobId: string, now: number) => number;
    readonly undispatchStale: (jobId: string, olderThan: number) => number;
    readonly requeueFailed: (jobId: string) => number;
    readonly markFlushed: (jobId: string, rowIds: readonly string[]) => void;
    readonly holdCacheKey: (request: CacheHoldRequest) => CacheHoldResult;
    readonly releaseCacheHold: (key: string, holder: string) => boolean;
  };
  private readonly readRegistry: (sheetKey: string, rowIds: readonly string[]) => Map<string, RegistryEntry>;
  private closed = false;

  constructor(db: SqliteDatabase, options: SqliteStoreOptions = {}) {
    if (typeof db !== 'object' || db === null || typeof db.prepare !== 'function') {
      throw new TypeError('SqliteStore: db must be a SqliteDatabase from openDatabase()');
    }
    if (!db.open) throw new Error('SqliteStore: the database connection is closed');
    if (options.closeDatabase !== undefined && typeof options.closeDatabase !== 'boolean') {
      throw new TypeError('SqliteStore: options.closeDatabase must be a boolean');
    }
    this.db = db;
    this.closeDatabase = options.closeDatabase ?? false;
    migrateStoreSchema(db);
    const s = (this.statements = prepareStatements(db));
    const holds = prepareHoldStatements(db);
    const immediate = <A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) => {
      const transaction = db.transaction(fn);
      return (...args: A) => transaction.immediate(...args);
    };
    const putRegistryRow = (entry: RegistryEntry): void => {
      assertTime('updatedAt', entry.updatedAt);
      s.putRegistry.run({
        sheetKey: entry.sheetKey,
        rowId: entry.rowId,
        inputHash: entry.inputHash,
        configHash: entry.configHash,
        outputs: JSON.stringify(entry.outputs),
        updatedAt: entry.updatedAt,
      });
    };
    this.write = {
      createJob: immediate((job: NewJob, now: number) => createJob(s, job, now)),
      addRows: immediate((jobId: string, rows: readonly NewRow[]) => addRows(s, jobId, rows)),
      transitionJob: immediate((jobId: string, request: TransitionRequest) => transitionJob(s, jobId, request)),
      dispatchRows: immediate((request: DispatchRequest) => dispatchRows(s, request)),
      claimRow: immediate((request: ClaimRequest) => claimRow(s, request)),
      finishRow: immediate((request: FinishRequest) => {
        const recorded = finishRow(s, request);
        // The cache and registry entries ride in the same commit: per row, one transaction instead of three.
        if (recorded && request.remember) {
          const { cache, registry } = request.remember;
          if (cache) s.putCache.run(cache.key, JSON.stringify(cache.entry.outputs), cache.entry.expiresAt);
          if (registry) putRegistryRow(registry);
        }
        // After the answer is stored, so a waiter that finds the key free also finds the answer.
        if (recorded && request.cacheHold) releaseCacheHold(holds, request.cacheHold.key, request.cacheHold.holder);
        return recorded;
      }),
      expireLeases: immediate((jobId: string, now: number) => expireLeases(s, jobId, now)),
      undispatchStale: immediate((jobId: string, olderThan: number) => undispatchStale(s, jobId, olderThan)),
      requeueFailed: immediate((jobId: string) => requeueFailed(s, jobId)),
      markFlushed: immediate((jobId: string, rowIds: readonly string[]) => {
        for (const rowId of rowIds) s.markFlushed.run(jobId, rowId);
      }),
      holdCacheKey: immediate((request: CacheHoldRequest) => holdCacheKey(holds, request)),
      releaseCacheHold: immediate((key: string, holder: string) => releaseCacheHold(holds, key, holder)),
    };
    // A deferred (read) transaction gives the many point lookups one consistent snapshot.
    const readRegistry = db.transaction((sheetKey: string, rowIds: readonly string[]) => {
      const found = new Map<string, RegistryEntry>();
      for (const rowId of rowIds) {
        const record = s.getRegistry.get(sheetKey, rowId);
        if (record === undefined) continue;
        found.set(rowId, {
          sheetKey: record.sheet_key,
          rowId: record.row_id,
          inputHash: record.input_hash,
          configHash: record.config_hash,
          outputs: JSON.parse(record.outputs) as Outputs,
          updatedAt: record.updated_at,
        });
      }
      return found;
    });
    this.readRegistry = (sheetKey, rowIds) => readRegistry.deferred(sheetKey, rowIds);
  }

  createJob(job: NewJob, now: number): Promise<void> {
    return this.asPromise(() => this.write.createJob(job, now));
  }

  addRows(jobId: string, rows: readonly NewRow[]): Promise<void> {
    return this.asPromise(() => this.write.addRows(jobId, rows));
  }

  getJob(jobId: string): Promise<Job | undefined> {
    return this.asPromise(() => {
      const record = this.statements.getJob.get(jobId);
      return record === undefined ? undefined : toJob(record);
    });
  }

  listJobs(filter: { readonly target?: JobTarget; readonly limit?: number } = {}): Promise<Job[]> {
    return this.asPromise(() => {
      if (filter.limit !== undefined) assertCount('limit', filter.limit);
      // SQLite reads LIMIT -1 as "no limit".
      const limit = filter.limit ?? -1;
      const records =
        filter.target === undefined ? this.statements.listJobs.all(limit) : this.statements.listJobsForSheet.all(targetKey(filter.target), limit);
      return records.map(toJob);
    });
  }

  transitionJob(jobId: string, request: TransitionRequest): Promise<Job | undefined> {
    return this.asPromise(() => this.write.transitionJob(jobId, request));
  }

  dispatchRows(request: DispatchRequest): Promise<DispatchedRow[]> {
    return this.asPromise(() => this.write.dispatchRows(request));
  }

  claimRow(request: ClaimRequest): Promise<ClaimResult> {
    return this.asPromise(() => this.write.claimRow(request));
  }

  finishRow(request: FinishRequest): Promise<boolean> {
    return this.asPromise(() => this.write.finishRow(request));
  }

  expireLeases(jobId: string, now: number): Promise<number> {
    return this.asPromise(() => this.write.expireLeases(jobId, now));
  }

  undispatchStale(jobId: string, olderThan: number): Promise<number> {
    return this.asPromise(() => this.write.undispatchStale(jobId, olderThan));
  }

  requeueFailed(jobId: string): Promise<number> {
    return this.asPromise(() => this.write.requeueFailed(jobId));
  }

  counts(jobId: string): Promise<JobCounts> {
    return this.asPromise(() => {
      const record = this.statements.getJob.get(jobId);
      if (record === undefined) throw new Error(`job ${jobId} does not exist`);
      return toCounts(record);
    });
  }

  recentOutcomes(jobId: string, n: number, since: number): Promise<Array<'done' | 'failed'>> {
    return this.asPromise(() => {
      assertCount('n', n);
      assertTime('since', since);
      if (n === 0) return [];
      return this.statements.recentOutcomes.all({ jobId, since, n }).map((record) => record.status);
    });
  }

  getRow(jobId: string, rowId: string): Promise<Row | undefined> {
    return this.asPromise(() => {
      const record = this.statements.getRow.get(jobId, rowId);
      return record === undefined ? undefined : toRow(record);
    });
  }

  listRows(request: ListRowsRequest): Promise<Row[]> {
    return this.asPromise(() => {
      assertCount('limit', request.limit);
      if (request.afterRowNumber !== undefined) assertTime('afterRowNumber', request.afterRowNumber);
      const params = { jobId: request.jobId, after: request.afterRowNumber ?? Number.MIN_SAFE_INTEGER, limit: request.limit };
      const s = this.statements;
      const records =
        request.statuses === undefined
          ? (request.unflushedOnly === true ? s.listUnflushed : s.listRows).all(params)
          : (request.unflushedOnly === true ? s.listUnflushedByStatus : s.listRowsByStatus).all({
              ...params,
              statuses: JSON.stringify(request.statuses),
            });
      return records.map(toRow);
    });
  }

  markAllUnflushed(jobId: string): Promise<number> {
    return this.asPromise(() => this.statements.markAllUnflushed.run(jobId).changes);
  }

  markFlushed(jobId: string, rowIds: readonly string[]): Promise<void> {
    return this.asPromise(() => this.write.markFlushed(jobId, rowIds));
  }

  getCache(key: string, now: number): Promise<CacheEntry | undefined> {
    return this.asPromise(() => this.lookupCache(key, now));
  }

  putCache(key: string, entry: CacheEntry): Promise<void> {
    return this.asPromise(() => {
      assertTime('expiresAt', entry.expiresAt);
      this.statements.putCache.run(key, JSON.stringify(entry.outputs), entry.expiresAt);
    });
  }

  holdCacheKey(request: CacheHoldRequest): Promise<CacheHoldResult> {
    return this.asPromise(() => this.write.holdCacheKey(request));
  }

  releaseCacheHold(key: string, holder: string): Promise<boolean> {
    return this.asPromise(() => this.write.releaseCacheHold(key, holder));
  }

  getRegistry(sheetKey: string, rowIds: readonly string[]): Promise<Map<string, RegistryEntry>> {
    return this.asPromise(() => this.readRegistry(sheetKey, rowIds));
  }


  /** Idempotent. Closes the connection only when the store was told it owns it (`closeDatabase`). */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      if (this.closeDatabase && this.db.open) this.db.close();
    }
    return Promise.resolve();
  }

  /**
   * An expired entry is a miss, and is deleted on the way so the cache does not grow without bound. No transaction:
   * a hit takes no write lock, and the delete re-checks expiry itself, so a fresh entry put meanwhile survives.
   */
  private lookupCache(key: string, now: number): CacheEntry | undefined {
    assertTime('now', now);
    const record = this.statements.getCache.get(key);
    if (record === undefined) return undefined;
    if (record.expires_at <= now) {
      this.statements.deleteExpiredCache.run(key, now);
      return undefined;
    }
    return { outputs: JSON.parse(record.outputs) as Outputs, expiresAt: record.expires_at };
  }

  /** Runs one synchronous step and hands its result (or its error) back as a settled promise. */
  private asPromise<T>(step: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('SqliteStore is closed'));
    try {
      return Promise.resolve(step());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
