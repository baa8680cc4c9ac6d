// The BatchStore port on SQLite: batch records in the store's own file, claimed and recorded in one immediate transaction.
import type { Statement } from 'better-sqlite3';
import type { BatchStatus } from '../../ports/batch.js';
import { batchCustomId, type BatchPatch, type BatchPhase, type BatchRecord, type BatchRowEntry, type BatchStore, type ClaimBatchRequest, type ClaimBatchResult } from '../../ports/batch-store.js';
import { checkBatchPatch, checkClaimBatchRequest } from '../../domain/store-arguments.js';
import { nanosToUsd } from '../../kernel/money.js';
import { migrateBatchSchema } from './batch-schema.js';
import type { SqliteDatabase } from './database.js';
import { claimRow } from './row-lifecycle.js';
import { migrateStoreSchema } from './schema.js';
import { prepareStatements, type Statements } from './statements.js';

interface BatchRow {
  readonly job_id: string;
  readonly seq: number;
  readonly filename: string;
  readonly phase: BatchPhase;
  readonly file_id: string | null;
  readonly batch_id: string | null;
  readonly provider_status: BatchStatus | null;
  readonly row_count: number;
  readonly reserved_nanos: number;
  readonly tokens: number;
  readonly created_at: number;
  readonly updated_at: number;
  readonly expires_at: number | null;
  readonly next_poll_at: number;
  readonly polls: number;
  readonly message: string | null;
}

interface EntryRow {
  readonly row_id: string;
  readonly dispatch_seq: number;
  readonly lease_token: number;
  readonly reserved_nanos: number;
}

/** Patch fields and the columns they are stored in. */
const COLUMNS: Readonly<Record<keyof BatchPatch, string>> = {
  phase: 'phase',
  fileId: 'file_id',
  batchId: 'batch_id',
  providerStatus: 'provider_status',
  expiresAt: 'expires_at',
  nextPollAt: 'next_poll_at',
  polls: 'polls',
  message: 'message',
};

function toRecord(row: BatchRow): BatchRecord {
  return {
    jobId: row.job_id,
    seq: row.seq,
    filename: row.filename,
    phase: row.phase,
    fileId: row.file_id,
    batchId: row.batch_id,
    providerStatus: row.provider_status,
    rowCount: row.row_count,
    reservedUsd: nanosToUsd(row.reserved_nanos),
    tokens: row.tokens,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    nextPollAt: row.next_poll_at,
    polls: row.polls,
    message: row.message,
  };
}

export class SqliteBatchStore implements BatchStore {
  private readonly statements: Statements;
  private readonly claim: (request: ClaimBatchRequest) => ClaimBatchResult;
  private readonly update: (jobId: string, seq: number, patch: BatchPatch, now: number) => BatchRecord | undefined;

  /** `db` is the file the SqliteStore uses (the rows it claims live there); the connection is not closed by this store. */
  constructor(private readonly db: SqliteDatabase) {
    if (typeof db !== 'object' || db === null || typeof db.prepare !== 'function') throw new TypeError('SqliteBatchStore: db must be a SqliteDatabase from openDatabase()');
    migrateStoreSchema(db);
    migrateBatchSchema(db);
    this.statements = prepareStatements(db);
    const insertBatch = db.prepare(
      `INSERT INTO store_batches (job_id, seq, filename, phase, row_count, reserved_nanos, tokens, created_at, updated_at)
       VALUES (@jobId, @seq, @filename, 'claimed', @rowCount, @reservedNanos, @tokens, @now, @now)`,
    );
    const insertEntry = db.prepare(`INSERT INTO store_batch_rows (job_id, seq, ord, row_id, dispatch_seq, lease_token, reserved_nanos) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const claimTx = db.transaction((request: ClaimBatchRequest) => this.claimSync(request, insertBatch, insertEntry));
    this.claim = (request) => claimTx.immediate(request);
    const updateTx = db.transaction((jobId: string, seq: number, patch: BatchPatch, now: number) => {
      checkBatchPatch(patch, now);
      const params: Record<string, string | number | null> = { jobId, seq, now };
      const sets = ['updated_at = @now'];
      for (const [field, value] of Object.entries(patch) as Array<[keyof BatchPatch, BatchPatch[keyof BatchPatch]]>) {
        if (value === undefined) continue;
        sets.push(`${COLUMNS[field]} = @${field}`);
        params[field] = value;
      }
      db.prepare(`UPDATE store_batches SET ${sets.join(', ')} WHERE job_id = @jobId AND seq = @seq`).run(params);
      return this.read(jobId, seq);
    });
    this.update = (jobId, seq, patch, now) => updateTx.immediate(jobId, seq, patch, now);
  }

  private claimSync(request: ClaimBatchRequest, insertBatch: Statement, insertEntry: Statement): ClaimBatchResult {
    const reserves = checkClaimBatchRequest(request);
    const claimed: BatchRowEntry[] = [];
    const refused: Array<ClaimBatchResult['refused'][number]> = [];
    let reservedNanos = 0;
    let tokens = 0;
    let overBudget = false;
    for (const [i, row] of request.rows.entries()) {
      if (overBudget) {
        refused.push({ rowId: row.rowId, reason: 'budget' });
        continue;
      }
      const result = claimRow(this.statements, { jobId: request.jobId, rowId: row.rowId, dispatchSeq: row.dispatchSeq, now: request.now, leaseMs: request.leaseMs, reserveUsd: row.reserveUsd });
      if (!result.ok) {
        refused.push({ rowId: row.rowId, reason: result.reason });
        // The rows after a budget refusal would not fit either, and claiming them out of order would skip this one.
        overBudget = result.reason === 'budget';
        continue;
      }
      const nanos = reserves[i]!;
      insertEntry.run(request.jobId, request.seq, claimed.length, row.rowId, row.dispatchSeq, result.leaseToken, nanos);
      claimed.push({ customId: batchCustomId(row.rowId, row.dispatchSeq), rowId: row.rowId, dispatchSeq: row.dispatchSeq, leaseToken: result.leaseToken, reserveUsd: row.reserveUsd });
      reservedNanos += nanos;
      tokens += row.tokens;
    }
    // Nothing claimed, nothing recorded: the transaction wrote no row either.
    if (claimed.length === 0) return { record: undefined, claimed, refused };
    insertBatch.run({ jobId: request.jobId, seq: request.seq, filename: request.filename, rowCount: claimed.length, reservedNanos, tokens, now: request.now });
    return { record: this.read(request.jobId, request.seq), claimed, refused };
  }

  private read(jobId: string, seq: number): BatchRecord | undefined {
    const row = this.db.prepare<[string, number], BatchRow>(`SELECT * FROM store_batches WHERE job_id = ? AND seq = ?`).get(jobId, seq);
    return row === undefined ? undefined : toRecord(row);
  }

  claimBatch(request: ClaimBatchRequest): Promise<ClaimBatchResult> {
    return asPromise(() => this.claim(request));
  }

  updateBatch(jobId: string, seq: number, patch: BatchPatch, now: number): Promise<BatchRecord | undefined> {
    return asPromise(() => this.update(jobId, seq, patch, now));
  }

  getBatch(jobId: string, seq: number): Promise<BatchRecord | undefined> {
    return asPromise(() => this.read(jobId, seq));
  }

  listBatches(jobId: string, filter: { readonly open?: boolean } = {}): Promise<BatchRecord[]> {
    return asPromise(() => {
      const rows = filter.open
        ? this.db.prepare<[string], BatchRow>(`SELECT * FROM store_batches WHERE job_id = ? AND phase <> 'applied' ORDER BY seq`).all(jobId)
        : this.db.prepare<[string], BatchRow>(`SELECT * FROM store_batches WHERE job_id = ? ORDER BY seq`).all(jobId);
      return rows.map(toRecord);
    });
  }

  listOpenBatches(): Promise<BatchRecord[]> {
    return asPromise(() => this.db.prepare<[], BatchRow>(`SELECT * FROM store_batches WHERE phase <> 'applied' ORDER BY job_id, seq`).all().map(toRecord));
  }

  batchRows(jobId: string, seq: number): Promise<BatchRowEntry[]> {
    return asPromise(() =>
      this.db
        .prepare<[string, number], EntryRow>(`SELECT row_id, dispatch_seq, lease_token, reserved_nanos FROM store_batch_rows WHERE job_id = ? AND seq = ? ORDER BY ord`)
        .all(jobId, seq)
        .map((e) => ({ customId: batchCustomId(e.row_id, e.dispatch_seq), rowId: e.row_id, dispatchSeq: e.dispatch_seq, leaseToken: e.lease_token, reserveUsd: nanosToUsd(e.reserved_nanos) })),
    );
  }
}

/** The synchronous step as a promise, its throw as a rejection (callers await every port method). */
function asPromise<T>(step: () => T): Promise<T> {
  return new Promise((resolve) => resolve(step()));
}
