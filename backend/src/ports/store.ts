// The Store port: durable job and row state. Every method is one atomic step, so a crash between any two loses nothing.
import type { ErrorClass } from '../kernel/error-classes.js';
import type { Job, JobCounts, JobStatus, JobTarget, NewRow, Outputs, PauseReason, Row, Usage } from './domain.js';

export type NewJob = Omit<Job, 'updatedAt' | 'finishedAt' | 'runningSince' | 'status' | 'pauseReason' | 'message'>;

export interface TransitionRequest {
  readonly to: JobStatus;
  /** Only move when the job is currently in one of these states. */
  readonly from: readonly JobStatus[];
  readonly pauseReason?: PauseReason | null;
  readonly message?: string | null;
  /** Replace the budget (resume with a raised budget). */
  readonly budgetUsd?: number | null;
  readonly now: number;
}

export type ClaimResult =
  | { readonly ok: true; readonly row: Row; readonly leaseToken: number }
  /** The row is not (or no longer) this task's to run: terminal, running elsewhere, re-dispatched, or the job is not running. */
  | { readonly ok: false; readonly reason: 'not_claimable' | 'job_not_running' }
  /** The row's retry time has not come yet. */
  | { readonly ok: false; readonly reason: 'not_yet'; readonly retryAt: number }
  /** Reserving `reserveUsd` would take spent + reserved over the budget. Nothing changed. */
  | { readonly ok: false; readonly reason: 'budget' };

export interface ClaimRequest {
  readonly jobId: string;
  readonly rowId: string;
  /** The dispatch generation the task was created for; a task from an older dispatch claims nothing. */
  readonly dispatchSeq: number;
  readonly now: number;
  readonly leaseMs: number;
  readonly reserveUsd: number;
}

export type RowOutcome =
  | { readonly kind: 'done'; readonly outputs: Outputs; readonly cached: boolean; readonly usage: Usage; readonly costUsd: number }
  | { readonly kind: 'failed'; readonly errorClass: ErrorClass; readonly message: string; readonly usage: Usage; readonly costUsd: number }
  /** Back to `queued`, still dispatched, to be tried again at `nextAttemptAt`. */
  | { readonly kind: 'retry'; readonly errorClass: ErrorClass; readonly message: string; readonly nextAttemptAt: number; readonly usage: Usage; readonly costUsd: number }
  /** Back to `queued` and undispatched without counting the attempt (job paused or cancelled under it). */
  | { readonly kind: 'release'; readonly usage: Usage; readonly costUsd: number };

export interface FinishRequest {
  readonly jobId: string;
  readonly rowId: string;
  readonly leaseToken: number;
  readonly outcome: RowOutcome;
  readonly now: number;
  /**
   * With a `done` outcome: also store the result in the cross-job cache and the skip-unchanged registry, in the same
   * step when the adapter can (one commit per finished row instead of three). Ignored when the lease is stale.
   */
  readonly remember?: {
    readonly cache?: { readonly key: string; readonly entry: CacheEntry };
    readonly registry?: RegistryEntry;
  };
  /**
   * The single-flight hold this row took on its cache key (`holdCacheKey`): released in the same step, whatever the
   * outcome, if `holder` still holds it — after `remember.cache` is written, so a waiter never finds the key free and
   * the answer missing. Ignored when the lease is stale.
   */
  readonly cacheHold?: { readonly key: string; readonly holder: string };
}

export interface DispatchRequest {
  readonly jobId: string;
  /** Never let dispatched + running rows exceed this. */
  readonly maxInFlight: number;
  /** Dispatch at most this many now. */
  readonly limit: number;
  readonly now: number;
}

/** A row just given a window slot: enqueue a task named for (jobId, rowId, dispatchSeq). */
export interface DispatchedRow {
  readonly rowId: string;
  readonly dispatchSeq: number;
  readonly nextAttemptAt: number;
}

export interface CacheEntry {
  readonly outputs: Outputs;
  readonly expiresAt: number;
}

export interface CacheHoldRequest {
  readonly key: string;
  /** Names this attempt to compute the key; only the same holder can release or renew the hold. */
  readonly holder: string;
  readonly now: number;
  /** The hold lapses at `now + holdMs`, so a holder that died blocks the key no longer than that. */
  readonly holdMs: number;
  /** Entries expiring before this are ignored, as if absent (a forced job accepts only answers stored after it began). */
  readonly minExpiresAt?: number;
}

export type CacheHoldResult =
  /** The answer is stored: use it, call nothing. */
  | { readonly kind: 'cached'; readonly entry: CacheEntry }
  /** This holder now holds the key until `until`: compute it, then finish with `cacheHold` (or `releaseCacheHold`). */
  | { readonly kind: 'held'; readonly until: number }
  /** Another holder is computing it: come back later, when its answer is stored or its hold has lapsed. */
  | { readonly kind: 'busy'; readonly heldSince: number; readonly heldUntil: number };

/** What the skip-unchanged registry remembers of a row's last success. */
export interface RegistryEntry {
  /** `targetKey(job.target)` of the job that computed the row. */
  readonly sheetKey: string;
  readonly rowId: string;
  readonly inputHash: string;
  readonly configHash: string;
  readonly outputs: Outputs;
  readonly updatedAt: number;
}

export interface ListRowsRequest {
  readonly jobId: string;
  /** Rows with rowNumber greater than this, in rowNumber order. */
  readonly afterRowNumber?: number;
  readonly limit: number;
  readonly statuses?: readonly Row['status'][];
  /** Only terminal rows whose results are not yet written to the sheet. */
  readonly unflushedOnly?: boolean;
}

export interface Store {
  /** Create a job in `preparing`. Fails if the id exists. */
  createJob(job: NewJob, now: number): Promise<void>;
  /** Add rows to a `preparing` job, in batches; row ids are unique per job (a duplicate id is an error). */
  addRows(jobId: string, rows: readonly NewRow[]): Promise<void>;
  /** The job's config and state, one small read: no counters (those are `counts()`). */
  getJob(jobId: string): Promise<Job | undefined>;
  /** Jobs newest first, optionally only those for one target (compared by `targetKey`). */
  listJobs(filter?: { readonly target?: JobTarget; readonly limit?: number }): Promise<Job[]>;
  /**
   * Move a job between states if it is in one of `from`. Leaving `running` makes every queued row undispatched
   * (their tasks then claim nothing); entering `cancelled` also makes every queued row `cancelled`; entering
   * `running` sets `runningSince`. Returns the updated job, or undefined if the job was not in `from`.
   */
  transitionJob(jobId: string, request: TransitionRequest): Promise<Job | undefined>;
  /** Give up to `limit` queued, undispatched rows a window slot, never exceeding `maxInFlight`; in rowNumber order. */
  dispatchRows(request: DispatchRequest): Promise<DispatchedRow[]>;
  /**
   * Claim a dispatched queued row of a running job: it becomes `running` with a lease, the attempt counter grows by
   * one and `reserveUsd` moves into the job's reserved total — all or nothing. Budget: spent + reserved + reserveUsd
   * must stay ≤ budget.
   */
  claimRow(request: ClaimRequest): Promise<ClaimResult>;
  /**
   * Record a claimed row's outcome if `leaseToken` is still the row's current lease: release its reservation, add
   * `costUsd` to spent, update counters. Returns false (and changes nothing) for a stale lease.
   */
  finishRow(request: FinishRequest): Promise<boolean>;
  /**
   * Rows running past their lease (their worker died): back to queued and undispatched; their reservation counts as
   * spent, since the call may have been billed. `now = Infinity` expires every lease (a single-process restart).
   * Returns how many rows were recovered.
   */
  expireLeases(jobId: string, now: number): Promise<number>;
  /**
   * Undispatch queued rows whose task should have run before `olderThan` but did not (a lost task). `Infinity`
   * undispatches every queued row (a single-process restart: their old tasks then claim nothing).
   */
  undispatchStale(jobId: string, olderThan: number): Promise<number>;
  /** failed rows → queued (attempts reset, errors cleared). Returns how many. */
  requeueFailed(jobId: string): Promise<number>;
  counts(jobId: string): Promise<JobCounts>;
  /** Statuses of the last `n` rows that finished done/failed at or after `since`, newest first. */
  recentOutcomes(jobId: string, n: number, since: number): Promise<Array<'done' | 'failed'>>;
  getRow(jobId: string, rowId: string): Promise<Row | undefined>;
  listRows(request: ListRowsRequest): Promise<Row[]>;
  markFlushed(jobId: string, rowIds: readonly string[]): Promise<void>;
  /** Every finished row of the job becomes unflushed again (its sheet changed under a write). Returns how many. */
  markAllUnflushed(jobId: string): Promise<number>;
  getCache(key: string, now: number): Promise<CacheEntry | undefined>;
  putCache(key: string, entry: CacheEntry): Promise<void>;
  /**
   * Single flight per cache key, in one atomic step: a stored answer (`cached`), else the hold for `holder` if the key
   * is free, its hold lapsed or `holder` already has it (`held`), else `busy`. Of many holders racing for a free key,
   * exactly one is `held`.
   */
  holdCacheKey(request: CacheHoldRequest): Promise<CacheHoldResult>;
  /** Releases `key` if `holder` holds it (a holder that will not compute after all). Returns whether it did. */
  releaseCacheHold(key: string, holder: string): Promise<boolean>;
  /** Entries are written by finishRow's `remember.registry`, in the same step as the row's success. */
  getRegistry(sheetKey: string, rowIds: readonly string[]): Promise<Map<string, RegistryEntry>>;
  close(): Promise<void>;
}
