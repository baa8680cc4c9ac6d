// addRows: rows created in atomic chunks, each chunk together with its counts, so counters always match the rows.
import type { ErrorClass } from '../../kernel/error-classes.js';
import type { NewRow } from '../../ports/domain.js';
import type { StoreContext } from './context.js';
import type { ShardDelta } from './counters.js';
import { applyDelta } from './counters.js';
import { shardOf } from './layout.js';
import { read } from './mappers.js';
import type { JobDoc, RowDoc } from './records.js';
import { withDerived } from './records.js';
import { assertCount } from '../../domain/store-arguments.js';

const NEW_ROW_STATUSES: ReadonlySet<string> = new Set(['queued', 'skipped', 'failed']);
/** Rows per commit: well under Firestore's per-commit limits even with large inputs. */
const CHUNK = 200;
/** Chunks committed at once; each lands on a different counter shard, so they do not race each other. */
const PARALLEL = 4;

/**
 * All or nothing per call, as far as Firestore allows: duplicates (within the call or with stored rows) are found
 * before anything is written, and if a chunk still fails (a concurrent add of the same id), the chunks already
 * committed are deleted again with their counts. Only a crash in the middle leaves part of a call — counted
 * correctly — in a job that is still `preparing`.
 */
export async function addRows(ctx: StoreContext, jobId: string, rows: readonly NewRow[]): Promise<void> {
  const seen = new Set<string>();
  for (const row of rows) {
    const status = row.status ?? 'queued';
    if (!NEW_ROW_STATUSES.has(status)) throw new RangeError(`row ${row.rowId}: a new row's status must be queued, skipped or failed, got ${String(status)}`);
    assertCount(`row ${row.rowId}: rowNumber`, row.rowNumber);
    if (seen.has(row.rowId)) throw duplicate(row.rowId, jobId);
    seen.add(row.rowId);
  }
  const job = read.job(await ctx.layout.job(jobId).get());
  assertPreparing(job, jobId);
  if (rows.length === 0) return;
  for (let i = 0; i < rows.length; i += 300) {
    const snapshots = await ctx.db.getAll(...rows.slice(i, i + 300).map((row) => ctx.layout.row(jobId, row.rowId)));
    const existing = snapshots.find((snapshot) => snapshot.exists);
    if (existing) throw duplicate(read.row(existing)!.rowId, jobId);
  }

  const chunks: NewRow[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) chunks.push(rows.slice(i, i + CHUNK));
  const committed: Array<{ readonly rows: readonly NewRow[]; readonly shard: number }> = [];
  let failure: Error | undefined;
  for (let i = 0; i < chunks.length && failure === undefined; i += PARALLEL) {
    const wave = chunks.slice(i, i + PARALLEL).map((chunk, j) => ({ rows: chunk, shard: (i + j) % job.counterShards }));
    const results = await Promise.allSettled(wave.map((part) => commitChunk(ctx, jobId, job.counterShards, part.rows, part.shard)));
    results.forEach((result, j) => {
      if (result.status === 'fulfilled') committed.push(wave[j]!);
      else failure ??= result.reason instanceof Error ? result.reason : new Error(String(result.reason));
    });
  }
  if (failure === undefined) return;
  for (const part of committed) await removeChunk(ctx, jobId, part.rows, part.shard).catch(() => undefined);
  throw failure;
}

function commitChunk(ctx: StoreContext, jobId: string, shards: number, rows: readonly NewRow[], shard: number): Promise<void> {
  const { layout } = ctx;
  return ctx.occ('addRows', async (attempt) => {
    const [jobSnapshot, counterSnapshot] = await attempt.getAll([layout.job(jobId), layout.counter(jobId, shard)]);
    assertPreparing(read.job(jobSnapshot!), jobId);
    const rowSnapshots = await attempt.getAll(rows.map((row) => layout.row(jobId, row.rowId)));
    const existing = rowSnapshots.find((snapshot) => snapshot.exists);
    if (existing) throw duplicate(read.row(existing)!.rowId, jobId);
    const docs = rows.map((row) => newRowDoc(row, shards));
    for (const doc of docs) attempt.create(layout.row(jobId, doc.rowId), doc);
    attempt.update(layout.counter(jobId, shard), applyDelta(read.counter(counterSnapshot!)!, countsOf(docs, 1), null));
  });
}

/** Undoes a committed chunk: its rows go, and so do their counts. */
function removeChunk(ctx: StoreContext, jobId: string, rows: readonly NewRow[], shard: number): Promise<void> {
  const { layout } = ctx;
  return ctx.occ('addRows rollback', async (attempt) => {
    const [counterSnapshot] = await attempt.getAll([layout.counter(jobId, shard)]);
    const docs = rows.map((row) => newRowDoc(row, 1));
    for (const doc of docs) attempt.delete(layout.row(jobId, doc.rowId));
    attempt.update(layout.counter(jobId, shard), applyDelta(read.counter(counterSnapshot!)!, countsOf(docs, -1), null));
  });
}

function countsOf(docs: readonly RowDoc[], sign: 1 | -1): ShardDelta {
  const delta = { total: 0, queued: 0, skipped: 0, failed: 0 };
  const errors: Partial<Record<ErrorClass, number>> = {};
  for (const doc of docs) {
    delta.total += sign;
    if (doc.status === 'queued' || doc.status === 'skipped' || doc.status === 'failed') delta[doc.status] += sign;
    if (doc.status === 'failed' && doc.errorClass !== null) errors[doc.errorClass] = (errors[doc.errorClass] ?? 0) + sign;
  }
  return { ...delta, errors };
}

function newRowDoc(row: NewRow, shards: number): RowDoc {
  const status = row.status ?? 'queued';
  // The port documents submit-time failures as `input_invalid`; a failed row always carries a class so it is counted.
  const errorClass = status === 'failed' ? (row.errorClass ?? 'input_invalid') : (row.errorClass ?? null);
  return withDerived({
    rowId: row.rowId,
    rowNumber: row.rowNumber,
    inputs: JSON.stringify(row.inputs),
    inputHash: row.inputHash,
    status,
    dispatched: false,
    dispatchSeq: 0,
    attempt: 0,
    nextAttemptAt: 0,
    leaseUntil: null,
    leaseSeq: 0,
    reservedNanos: 0,
    outputs: row.outputs === undefined ? null : JSON.stringify(row.outputs),
    cached: false,
    errorClass,
    errorMessage: row.errorMessage ?? null,
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
    costNanos: 0,
    flushed: false,
    finishedAt: null,
    shard: shardOf(row.rowId, shards),
  });
}

function assertPreparing(job: JobDoc | undefined, jobId: string): asserts job is JobDoc {
  if (job === undefined) throw new Error(`job ${jobId} does not exist`);
  if (job.status !== 'preparing') throw new Error(`job ${jobId} is ${job.status}: rows can only be added while it is preparing`);
}

function duplicate(rowId: string, jobId: string): Error {
  return new Error(`row ${rowId} already exists in job ${jobId}`);
}
