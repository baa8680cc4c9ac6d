// Cheap mode's documents: where a job's batch records and the chunks of rows each carries live, their shape, and reads.
import type { DocumentReference, DocumentSnapshot, QueryDocumentSnapshot } from '@google-cloud/firestore';
import type { BatchStatus } from '../../ports/batch.js';
import { batchCustomId, type BatchPhase, type BatchRecord, type BatchRowEntry } from '../../ports/batch-store.js';
import { nanosToUsd } from '../../kernel/money.js';
import type { Layout } from './layout.js';

/**
 * `<root>/jobs/{job}/batches/{seq}`                      one record per batch (a few writes per batch)
 * `<root>/jobs/{job}/batches/{seq}/batchChunks/{n}`      the rows one claim commit took: up to a few hundred entries
 */
export function batchRef(layout: Layout, jobId: string, seq: number): DocumentReference {
  return layout.job(jobId).collection('batches').doc(String(seq));
}

export function chunkRef(layout: Layout, jobId: string, seq: number, n: number): DocumentReference {
  return batchRef(layout, jobId, seq).collection('batchChunks').doc(String(n));
}

export interface BatchDoc {
  readonly schema: number;
  readonly jobId: string;
  readonly seq: number;
  readonly filename: string;
  readonly phase: BatchPhase;
  /** Derived from `phase` (not yet applied): what `listBatches({ open: true })` queries. */
  readonly open: boolean;
  readonly fileId: string | null;
  readonly batchId: string | null;
  readonly providerStatus: BatchStatus | null;
  /**
   * Totals over the chunks, exact once `sealed`. A claim that spans several commits writes the record with its first
   * chunk and seals it after its last; until then (or after a crash in between) readers add up the chunks.
   */
  readonly rowCount: number;
  readonly reservedNanos: number;
  readonly tokens: number;
  readonly sealed: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt: number | null;
  readonly nextPollAt: number;
  readonly polls: number;
  readonly message: string | null;
}

export interface ChunkEntry {
  readonly rowId: string;
  readonly dispatchSeq: number;
  readonly leaseToken: number;
  readonly reservedNanos: number;
}

export interface ChunkDoc {
  readonly schema: number;
  /** 0, 1, 2… in claim order. */
  readonly n: number;
  readonly rowCount: number;
  readonly reservedNanos: number;
  readonly tokens: number;
  readonly entries: readonly ChunkEntry[];
}

export interface Totals {
  readonly rowCount: number;
  readonly reservedNanos: number;
  readonly tokens: number;
}

export function toEntry(entry: ChunkEntry): BatchRowEntry {
  return { customId: batchCustomId(entry.rowId, entry.dispatchSeq), rowId: entry.rowId, dispatchSeq: entry.dispatchSeq, leaseToken: entry.leaseToken, reserveUsd: nanosToUsd(entry.reservedNanos) };
}

export function toBatchRecord(doc: BatchDoc, totals: Totals): BatchRecord {
  return {
    jobId: doc.jobId,
    seq: doc.seq,
    filename: doc.filename,
    phase: doc.phase,
    fileId: doc.fileId,
    batchId: doc.batchId,
    providerStatus: doc.providerStatus,
    rowCount: totals.rowCount,
    reservedUsd: nanosToUsd(totals.reservedNanos),
    tokens: totals.tokens,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    expiresAt: doc.expiresAt,
    nextPollAt: doc.nextPollAt,
    polls: doc.polls,
    message: doc.message,
  };
}

/** The record as the port shows it: a sealed record's own totals, an unsealed one's summed over its chunks. */
export async function recordOf(layout: Layout, snapshot: DocumentSnapshot): Promise<BatchRecord | undefined> {
  const doc = snapshot.data() as BatchDoc | undefined;
  if (doc === undefined) return undefined;
  if (doc.sealed) return toBatchRecord(doc, doc);
  // Only the summary fields: the entries stay on the server.
  const chunks = await batchRef(layout, doc.jobId, doc.seq).collection('batchChunks').select('rowCount', 'reservedNanos', 'tokens').get();
  const totals = chunks.docs.reduce<Totals>(
    (sum, chunk) => {
      const part = chunk.data() as Totals;
      return { rowCount: sum.rowCount + part.rowCount, reservedNanos: sum.reservedNanos + part.reservedNanos, tokens: sum.tokens + part.tokens };
    },
    { rowCount: 0, reservedNanos: 0, tokens: 0 },
  );
  return toBatchRecord(doc, totals);
}

export async function getBatch(layout: Layout, jobId: string, seq: number): Promise<BatchRecord | undefined> {
  return recordOf(layout, await batchRef(layout, jobId, seq).get());
}

/** Seq order; `open`: one equality query on the derived field (index: open, seq). */
export async function listBatches(layout: Layout, jobId: string, open: boolean): Promise<BatchRecord[]> {
  const batches = layout.job(jobId).collection('batches');
  const query = open ? batches.where('open', '==', true).orderBy('seq') : batches.orderBy('seq');
  const snapshot = await query.get();
  const records = await Promise.all(snapshot.docs.map((doc: QueryDocumentSnapshot) => recordOf(layout, doc)));
  return records.filter((record): record is BatchRecord => record !== undefined);
}

/**
 * Every job's open batches under this store's root: one collection-group query on the derived `open` flag (a
 * collection-group index on `open`, firestore.indexes.json), less the records of other roots sharing the database.
 * Few batches are open at once (each carries up to 50,000 rows), so the query stays small.
 */
export async function listOpenBatches(layout: Layout): Promise<BatchRecord[]> {
  const prefix = `${layout.jobs().path}/`;
  const snapshot = await layout.root.firestore.collectionGroup('batches').where('open', '==', true).get();
  const mine = snapshot.docs.filter((doc: QueryDocumentSnapshot) => doc.ref.path.startsWith(prefix));
  const records = await Promise.all(mine.map((doc: QueryDocumentSnapshot) => recordOf(layout, doc)));
  return records.filter((record): record is BatchRecord => record !== undefined);
}

export async function batchRows(layout: Layout, jobId: string, seq: number): Promise<BatchRowEntry[]> {
  const chunks = await batchRef(layout, jobId, seq).collection('batchChunks').orderBy('n').get();
  return chunks.docs.flatMap((chunk) => (chunk.data() as ChunkDoc).entries.map(toEntry));
}
