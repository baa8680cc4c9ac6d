// claimBatch on Firestore: a batch's rows claimed chunk by chunk, each chunk's claims and its entries in one commit.
import type { DocumentData, DocumentSnapshot } from '@google-cloud/firestore';
import type { BatchRowEntry, ClaimBatchRequest, ClaimBatchResult } from '../../ports/batch-store.js';
import type { ClaimRequest } from '../../ports/store.js';
import { decideClaim } from '../../domain/row-transitions.js';
import { checkClaimBatchRequest } from '../../domain/store-arguments.js';
import { allowance, freeBudget, gather } from './budget.js';
import { batchRef, chunkRef, recordOf, toEntry, type BatchDoc, type ChunkDoc, type ChunkEntry, type Totals } from './batch-records.js';
import type { StoreContext } from './context.js';
import { applyDelta, toShardDelta } from './counters.js';
import { shardOf } from './layout.js';
import { read } from './mappers.js';
import type { Attempt } from './occ.js';
import type { CounterDoc, PoolDoc } from './records.js';
import { patched, SCHEMA } from './records.js';

/** Firestore's limit on writes in one commit (preconditions included). */
const MAX_COMMIT_WRITES = 500;
/** Rows per chunk at most: ~400 small row updates plus a chunk document of ~400 entries stays far under 10 MiB. */
const MAX_CHUNK_ROWS = 400;

type Refusal = ClaimBatchResult['refused'][number];

/** Rows per commit for a job with `shards` counter shards: rows + shards written + donor shards + pool, record, chunk. */
export function chunkRowsFor(shards: number): number {
  return Math.max(1, Math.min(MAX_CHUNK_ROWS, MAX_COMMIT_WRITES - 3 - 2 * shards));
}

interface ChunkOutcome {
  readonly claimed: ChunkEntry[];
  readonly refused: Refusal[];
  readonly tokens: number;
  /** A budget refusal ended the claiming. */
  readonly stopped: boolean;
}

/**
 * Order that keeps the port's promise without one huge transaction: the first chunk that claims anything creates the
 * record (phase `claimed`, unsealed unless it is also the last) in the same commit as its claims; every later chunk
 * adds its entries document in the same commit as its claims; a last small write seals the totals. A crash at any
 * point leaves every claimed row named by a chunk of a record, and every named row claimed.
 */
export async function claimBatch(ctx: StoreContext, request: ClaimBatchRequest): Promise<ClaimBatchResult> {
  const reserves = checkClaimBatchRequest(request);
  const job = read.job(await ctx.layout.job(request.jobId).get());
  const claimed: BatchRowEntry[] = [];
  const refused: Refusal[] = [];
  if (job === undefined) return { record: undefined, claimed, refused: request.rows.map((row) => ({ rowId: row.rowId, reason: 'not_claimable' as const })) };
  const shards = job.counterShards;
  const size = chunkRowsFor(shards);
  const totals = { rowCount: 0, reservedNanos: 0, tokens: 0 };
  let chunks = 0;
  let stopped = false;
  for (let start = 0; start < request.rows.length; start += size) {
    const end = Math.min(start + size, request.rows.length);
    if (stopped) {
      for (const row of request.rows.slice(start, end)) refused.push({ rowId: row.rowId, reason: 'budget' });
      continue;
    }
    const last = end === request.rows.length;
    const outcome = await ctx.occ('claimBatch', (attempt) => claimChunk(ctx, attempt, request, reserves, start, end, shards, chunks, last));
    refused.push(...outcome.refused);
    stopped = outcome.stopped;
    if (outcome.claimed.length === 0) continue;
    claimed.push(...outcome.claimed.map(toEntry));
    totals.rowCount += outcome.claimed.length;
    totals.reservedNanos += outcome.claimed.reduce((sum, entry) => sum + entry.reservedNanos, 0);
    totals.tokens += outcome.tokens;
    chunks++;
  }
  if (chunks === 0) return { record: undefined, claimed, refused };
  const ref = batchRef(ctx.layout, request.jobId, request.seq);
  // The first chunk sealed the record itself when it was the only one that could claim.
  const first = (await ref.get()).data() as BatchDoc | undefined;
  if (first !== undefined && !first.sealed) {
    // Not an optimistic step: only this claim writes the record until it returns, and the totals are its own.
    await ref.update({ rowCount: totals.rowCount, reservedNanos: totals.reservedNanos, tokens: totals.tokens, sealed: true });
    ctx.noteCommit([ref.path]);
  }
  const record = await recordOf(ctx.layout, await ref.get());
  return { record, claimed, refused };
}

/** One commit: rows [start, end) decided in order against the job's free budget, applied with their chunk document. */
async function claimChunk(ctx: StoreContext, attempt: Attempt, request: ClaimBatchRequest, reserves: readonly number[], start: number, end: number, shards: number, n: number, last: boolean): Promise<ChunkOutcome> {
  const { layout } = ctx;
  const { jobId } = request;
  const rows = request.rows.slice(start, end);
  const recordRef = batchRef(layout, jobId, request.seq);
  const snapshots = await attempt.getAll(
    [recordRef, layout.pool(jobId), ...Array.from({ length: shards }, (_, k) => layout.counter(jobId, k)), ...rows.map((row) => layout.row(jobId, row.rowId))],
    { pin: false },
  );
  const [recordSnapshot, poolSnapshot] = snapshots as [DocumentSnapshot, DocumentSnapshot];
  const shardSnapshots = snapshots.slice(2, 2 + shards);
  const rowSnapshots = snapshots.slice(2 + shards);
  const working = shardSnapshots.map((snapshot) => read.counter(snapshot));
  let granted = (poolSnapshot.data() as PoolDoc | undefined)?.grantedNanos ?? 0;
  const present = working.filter((shard): shard is CounterDoc => shard !== undefined);
  // Every shard carries a copy of the job's budget (transitions rewrite them all at once).
  const budget = present[0]?.budgetNanos ?? null;
  let free = budget === null ? null : freeBudget(present, budget, granted);

  const claimed: ChunkEntry[] = [];
  const refused: Refusal[] = [];
  const touched = new Set<number>();
  const rowWrites: Array<{ readonly snapshot: DocumentSnapshot; readonly data: DocumentData }> = [];
  let tokens = 0;
  let stopped = false;
  rows.forEach((batchRow, i) => {
    if (stopped) {
      refused.push({ rowId: batchRow.rowId, reason: 'budget' });
      return;
    }
    const reserve = reserves[start + i]!;
    const snapshot = rowSnapshots[i]!;
    const row = read.row(snapshot);
    const k = row?.shard ?? shardOf(batchRow.rowId, shards);
    const shard = working[k];
    const claim: ClaimRequest = { jobId, rowId: batchRow.rowId, dispatchSeq: batchRow.dispatchSeq, now: request.now, leaseMs: request.leaseMs, reserveUsd: batchRow.reserveUsd };
    // Decided against the whole job's free budget, less what this batch reserved so far: claimRow's slow path.
    const decision = decideClaim(row, shard && { status: shard.status, budgetLeftNanos: shard.budgetNanos === null ? null : free }, claim, reserve);
    if (!decision.ok) {
      refused.push({ rowId: batchRow.rowId, reason: decision.refusal.reason });
      // The rows after a budget refusal would not fit either, and claiming them would skip this one.
      stopped = decision.refusal.reason === 'budget';
      return;
    }
    const next = patched(row!, decision.patch);
    const fields: Record<string, unknown> = { pendingFlush: next.pendingFlush };
    for (const field of Object.keys(decision.patch)) fields[field] = (next as unknown as Record<string, unknown>)[field];
    rowWrites.push({ snapshot, data: fields });
    working[k] = applyDelta(shard!, toShardDelta(decision.counters), request.now);
    touched.add(k);
    if (free !== null) free -= reserve;
    tokens += batchRow.tokens;
    claimed.push({ rowId: batchRow.rowId, dispatchSeq: batchRow.dispatchSeq, leaseToken: next.leaseSeq, reservedNanos: reserve });
  });
  if (claimed.length === 0) return { claimed, refused, tokens, stopped };

  // Keep every shard's spent + reserved ≤ grant: a shard this chunk overdrew takes allowance from the pool's
  // unallocated budget first, then from other shards' idle allowance. The decisions above guarantee it is enough.
  const donors = new Set<number>();
  let poolMoved = false;
  if (budget !== null) {
    for (const k of touched) {
      let need = -allowance(working[k]!);
      if (need <= 0) continue;
      const fromPool = Math.min(Math.max(0, budget - granted), need);
      if (fromPool > 0) {
        working[k] = { ...working[k]!, grantNanos: working[k]!.grantNanos + fromPool };
        granted += fromPool;
        poolMoved = true;
        need -= fromPool;
      }
      if (need <= 0) continue;
      const gathered = gather(working.map((shard) => shard ?? { grantNanos: 0, spentNanos: 0, reservedNanos: 0 }), k, need);
      if (!gathered.covered) throw new Error(`claimBatch: the budget of job ${jobId} does not cover what was decided; this is a bug`);
      for (const take of gathered.takes) {
        working[take.shard] = { ...working[take.shard]!, grantNanos: working[take.shard]!.grantNanos - take.amount };
        donors.add(take.shard);
      }
      working[k] = { ...working[k]!, grantNanos: working[k]!.grantNanos + need };
    }
  }

  // Everything written is pinned: a row or shard that changed since it was read loses the race, and the chunk is
  // decided again on fresh reads (so two batches never both claim a row).
  for (const write of rowWrites) {
    attempt.pin(write.snapshot.ref);
    attempt.update(write.snapshot.ref, write.data);
  }
  for (const k of new Set([...touched, ...donors])) {
    attempt.pin(shardSnapshots[k]!.ref);
    attempt.update(shardSnapshots[k]!.ref, working[k]!);
  }
  if (poolMoved) {
    attempt.pin(poolSnapshot.ref);
    attempt.update(poolSnapshot.ref, { grantedNanos: granted });
  }
  const chunkTotals: Totals = { rowCount: claimed.length, reservedNanos: claimed.reduce((sum, entry) => sum + entry.reservedNanos, 0), tokens };
  if (n === 0) {
    if (recordSnapshot.exists) throw new Error(`claimBatch: job ${jobId} already has a batch with seq ${request.seq}`);
    // Created, not set: a record written meanwhile by another claim fails this commit, which then re-reads and throws.
    attempt.create(recordRef, newRecord(request, chunkTotals, last || stopped));
  }
  const chunk: ChunkDoc = { schema: SCHEMA, n, ...chunkTotals, entries: claimed };
  attempt.create(chunkRef(layout, jobId, request.seq, n), chunk);
  return { claimed, refused, tokens, stopped };
}

function newRecord(request: ClaimBatchRequest, totals: Totals, sealed: boolean): BatchDoc {
  return {
    schema: SCHEMA,
    jobId: request.jobId,
    seq: request.seq,
    filename: request.filename,
    phase: 'claimed',
    open: true,
    fileId: null,
    batchId: null,
    providerStatus: null,
    ...totals,
    sealed,
    createdAt: request.now,
    updatedAt: request.now,
    expiresAt: null,
    nextPollAt: 0,
    polls: 0,
    message: null,
  };
}
