// The BatchStore port (cheap mode): a job's provider batches and the rows each carries, recorded around every provider call.
import type { BatchStatus } from './batch.js';
import type { ClaimResult } from './store.js';

/**
 * How far Rowfill got with a batch, written before and after each provider call so a restart resumes it exactly:
 * `claimed` (rows claimed and recorded; the file is packed and uploaded next — look it up by `filename` first),
 * `uploaded` (`fileId` known; the batch is created next — look it up by file id first), `submitted` (`batchId` known;
 * polled until the provider ends it), `ended` (the provider ended it; its results are being applied to the rows) and
 * `applied` (every row it carried is finished or back in the queue: closed).
 */
export type BatchPhase = 'claimed' | 'uploaded' | 'submitted' | 'ended' | 'applied';

/** Every phase but `applied`: the batch still holds rows. */
export const OPEN_BATCH_PHASES: readonly BatchPhase[] = ['claimed', 'uploaded', 'submitted', 'ended'];

export interface BatchRecord {
  readonly jobId: string;
  /** 0, 1, 2… per job; names the file (`filename`) and the batch's metadata. */
  readonly seq: number;
  /** The name the input file is uploaded under: deterministic, so a restart finds an upload it did not record. */
  readonly filename: string;
  readonly phase: BatchPhase;
  readonly fileId: string | null;
  readonly batchId: string | null;
  /** The provider's last reported state (validating, in_progress, …), null before the batch exists. */
  readonly providerStatus: BatchStatus | null;
  readonly rowCount: number;
  /** What the rows reserved when they were claimed: every row's worst case at batch prices. */
  readonly reservedUsd: number;
  /** Prompt tokens of the rows (what the provider's enqueued-token limit counts). */
  readonly tokens: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** When the provider's window ends (epoch ms), once known. */
  readonly expiresAt: number | null;
  /** The batch is not polled before this (backoff). */
  readonly nextPollAt: number;
  /** Polls so far (the backoff grows with them). */
  readonly polls: number;
  /** Why the batch failed or was given up, for `rowfill status`. */
  readonly message: string | null;
}

/** One row carried by a batch: its request's custom id, and the claim that lets the batch finish it. */
export interface BatchRowEntry {
  /** `<rowId>:<dispatchSeq>`: the request's `custom_id`. */
  readonly customId: string;
  readonly rowId: string;
  readonly dispatchSeq: number;
  /** The row's lease token from its claim: finishRow with it; a stale one (the row moved on) changes nothing. */
  readonly leaseToken: number;
  readonly reserveUsd: number;
}

export interface ClaimBatchRow {
  readonly rowId: string;
  readonly dispatchSeq: number;
  /** The row's worst case at batch prices (plus a fast repair), reserved in its claim as fast mode reserves. */
  readonly reserveUsd: number;
  /** Prompt tokens, summed into the record's `tokens`. */
  readonly tokens: number;
}

export interface ClaimBatchRequest {
  readonly jobId: string;
  /** Must be a seq the job has no batch under yet (the engine takes the next one); a taken seq is an error. */
  readonly seq: number;
  readonly filename: string;
  /** Rows to claim, in order; claiming stops at the first budget refusal (the rows after it would not fit either). */
  readonly rows: readonly ClaimBatchRow[];
  readonly now: number;
  /** The rows' lease: longer than the provider's window, so lease expiry never takes back a row a batch still carries. */
  readonly leaseMs: number;
}

export interface ClaimBatchResult {
  /** The new record, or undefined when no row could be claimed (nothing was written). */
  readonly record: BatchRecord | undefined;
  readonly claimed: readonly BatchRowEntry[];
  /** Rows not claimed and why (the first budget refusal ends the claiming: later rows are reported `budget` too). */
  readonly refused: ReadonlyArray<{ readonly rowId: string; readonly reason: Exclude<ClaimResult, { ok: true }>['reason'] }>;
}

/** Fields a step changes; omitted fields keep their values. */
export interface BatchPatch {
  readonly phase?: BatchPhase;
  readonly fileId?: string | null;
  readonly batchId?: string | null;
  readonly providerStatus?: BatchStatus | null;
  readonly expiresAt?: number | null;
  readonly nextPollAt?: number;
  readonly polls?: number;
  readonly message?: string | null;
}

export interface BatchStore {
  /**
   * In one atomic step: claim each row as `Store.claimRow` would (same rules, same budget check, with `leaseMs`) and
   * record the batch with the rows claimed. A crash before it leaves the rows queued; after it, the record names every
   * row the batch holds, so nothing is lost and no row is sent twice.
   */
  claimBatch(request: ClaimBatchRequest): Promise<ClaimBatchResult>;
  /** Change a batch's record; returns it as written, or undefined when there is no such batch. */
  updateBatch(jobId: string, seq: number, patch: BatchPatch, now: number): Promise<BatchRecord | undefined>;
  getBatch(jobId: string, seq: number): Promise<BatchRecord | undefined>;
  /** The job's batches in seq order; `open` keeps only those not yet applied. */
  listBatches(jobId: string, filter?: { readonly open?: boolean }): Promise<BatchRecord[]>;
  /**
   * The open batches (not yet applied) of every job in the store, in no set order: what Rowfill has waiting at the
   * provider, which counts one enqueued-token limit per model across jobs.
   */
  listOpenBatches(): Promise<BatchRecord[]>;
  /** The rows a batch carries, in the order claimed. */
  batchRows(jobId: string, seq: number): Promise<BatchRowEntry[]>;
}

/** The request's custom id for a row's dispatch: a late answer for an older dispatch matches no claim. */
export function batchCustomId(rowId: string, dispatchSeq: number): string {
  return `${rowId}:${dispatchSeq}`;
}
