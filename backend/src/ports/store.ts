// The Store port: durable job and row state. Every method is one atomic step, so a crash between any two loses nothing.
import type { ErrorClass, Job, JobCounts, JobStatus, NewRow, Outputs, PauseReason, Row, Usage } from './domain.js';

export type NewJob = Omit<Job, 'spentUsd' | 'reservedUsd' | 'updatedAt' | 'finishedAt' | 'runningSince' | 'totalRows' | 'status' | 'pauseReason' | 'message'>;

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

/** What the skip-unchanged registry remembers of a row's last success. */
export interface RegistryEntry {
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
  getJob(jobId: string): Promise<Job | undefined>;
  /** Jobs newest first, optionally only those for one sheet. */
  listJobs(filter?: { readonly sheetKey?: string; readonly limit?: number }): Promise<Job[]>;
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
  getRegistry(sheetKey: string, rowIds: readonly string[]): Promise<Map<string, RegistryEntry>>;
  putRegistry(entries: readonly RegistryEntry[]): Promise<void>;
  close(): Promise<void>;
}
