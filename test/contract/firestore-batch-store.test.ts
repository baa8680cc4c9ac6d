// Runs the BatchStore contract against Firestore on Google's emulator: a fresh root per test, a client per instance.
import type { Firestore } from '@google-cloud/firestore';
import { describe, expect, it } from 'vitest';
import { FirestoreBatchStore, FirestoreStore, type CommitTouch } from '../../backend/src/adapters/firestore/index.js';
import { docId, shardOf } from '../../backend/src/adapters/firestore/layout.js';
import type { ClaimBatchRow } from '../../backend/src/ports/batch-store.js';
import { emulatorClient, freshRootPath } from '../setup/firestore-client.js';
import { firestoreEmulatorHost } from '../setup/firestore-emulator-host.js';
import { describeBatchStoreContract, type BatchStoreHarness, type BatchStores } from './batch-store.contract.js';
import { T0, done, startJob } from './helpers/store-fixtures.js';
import { allRows, expectCountersMatchRows } from './helpers/store-invariants.js';

const host = firestoreEmulatorHost();

/** Every instance gets its own client, as another Cloud Run instance would; cleanup deletes the root. */
function firestoreBatchHarness(emulatorHost: string): BatchStoreHarness {
  const rootPath = freshRootPath();
  const clients: Firestore[] = [];
  const stores: FirestoreStore[] = [];
  const open = (): BatchStores => {
    const firestore = emulatorClient(emulatorHost);
    clients.push(firestore);
    const store = new FirestoreStore({ firestore, rootPath });
    stores.push(store);
    return { store, batches: new FirestoreBatchStore({ firestore, rootPath }) };
  };
  return {
    ...open(),
    reopen: () => Promise.resolve(open()),
    async cleanup() {
      for (const store of stores) await store.close();
      await clients[0]!.recursiveDelete(clients[0]!.doc(rootPath));
      for (const client of clients) await client.terminate();
    },
  };
}

describe.skipIf(!host)('FirestoreBatchStore on the emulator', () => {
  describeBatchStoreContract('Firestore', () => Promise.resolve(firestoreBatchHarness(host!)));
});

/** A dispatched running job of `rows` rows with `counterShards` shards, and a batch store that reports its commits. */
async function setUp(emulatorHost: string, rows: number, options: { readonly counterShards?: number; readonly onCommit?: (touches: readonly CommitTouch[]) => void } = {}) {
  const rootPath = freshRootPath();
  const firestore = emulatorClient(emulatorHost);
  const store = new FirestoreStore({ firestore, rootPath, ...(options.counterShards === undefined ? {} : { counterShards: options.counterShards }) });
  const batches = new FirestoreBatchStore({ firestore, rootPath, ...(options.onCommit === undefined ? {} : { onCommit: options.onCommit }) });
  const { jobId } = await startJob(store, { rows, budgetUsd: 100 });
  const claimRows: ClaimBatchRow[] = [];
  while (claimRows.length < rows) {
    const slots = await store.dispatchRows({ jobId, maxInFlight: 100_000, limit: 500, now: T0 });
    claimRows.push(...slots.map((slot) => ({ rowId: slot.rowId, dispatchSeq: slot.dispatchSeq, reserveUsd: 0.001, tokens: 10 })));
  }
  const cleanup = async () => {
    await store.close();
    await firestore.recursiveDelete(firestore.doc(rootPath));
    await firestore.terminate();
  };
  return { store, batches, jobId, claimRows, cleanup };
}

const claimAll = (jobId: string, rows: readonly ClaimBatchRow[]) => ({ jobId, seq: 0, filename: 'f-0.jsonl', rows, now: T0 + 10, leaseMs: 48 * 3600_000 });

describe.skipIf(!host)('FirestoreBatchStore: chunked claims', () => {
  it('keeps every commit within 500 writes, and writes the record twice and a shard at most once per chunk, not per row', async () => {
    const writes = new Map<string, number>();
    const sizes: number[] = [];
    const onCommit = (touches: readonly CommitTouch[]) => {
      sizes.push(touches.length);
      for (const touch of touches) if (touch.kind === 'write') writes.set(touch.path, (writes.get(touch.path) ?? 0) + 1);
    };
    // 200 shards: the most a job may have, so the rows per commit shrink to leave room for every shard and donor.
    const { batches, store, jobId, claimRows, cleanup } = await setUp(host!, 500, { counterShards: 200, onCommit });
    try {
      const result = await batches.claimBatch(claimAll(jobId, claimRows));
      expect(result.claimed).toHaveLength(500);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(500);
      const record = [...writes].filter(([path]) => path.endsWith(`/batches/0`));
      // Created with the first chunk, its totals sealed after the last.
      expect(record.map(([, n]) => n)).toEqual([2]);
      const shardWrites = [...writes].filter(([path]) => path.includes('/counters/')).map(([, n]) => n);
      expect(Math.max(...shardWrites)).toBeLessThanOrEqual(sizes.length);
      expect(sizes.length).toBeGreaterThan(1);
      expect(await store.counts(jobId)).toMatchObject({ running: 500, reservedUsd: 0.5 });
      expect(await batches.getBatch(jobId, 0)).toMatchObject({ rowCount: 500, reservedUsd: 0.5, tokens: 5_000 });
      await expectCountersMatchRows(store, jobId);
    } finally {
      await cleanup();
    }
  });

  it('after a crash between chunks, the record names exactly the rows claimed, with totals that add up', async () => {
    let commits = 0;
    const crashAfterSecond = () => {
      commits++;
      // Thrown after the second chunk's commit landed: the claim stops there, as a process killed at that instant would.
      if (commits === 2) throw new Error('killed');
    };
    // 32 shards: the chunk sizes below (400 rows) are those of a job with 32 shards.
    const { batches, store, jobId, claimRows, cleanup } = await setUp(host!, 1_000, { counterShards: 32, onCommit: crashAfterSecond });
    try {
      await expect(batches.claimBatch(claimAll(jobId, claimRows))).rejects.toThrow('killed');
      const running = (await allRows(store, jobId)).filter((row) => row.status === 'running').map((row) => row.rowId);
      expect(running).toHaveLength(800);
      const entries = await batches.batchRows(jobId, 0);
      expect(entries.map((entry) => entry.rowId).sort()).toEqual([...running].sort());
      expect(await batches.getBatch(jobId, 0)).toMatchObject({ phase: 'claimed', rowCount: 800, reservedUsd: 0.8, tokens: 8_000 });
      expect((await batches.listBatches(jobId, { open: true })).map((record) => record.rowCount)).toEqual([800]);
      // The rows it did not reach are still queued with their slot; a next batch claims them under a new seq.
      const rest = await batches.claimBatch({ ...claimAll(jobId, claimRows.slice(800)), seq: 1 });
      expect(rest.claimed).toHaveLength(200);
      await expectCountersMatchRows(store, jobId);
    } finally {
      await cleanup();
    }
  });

  it('takes allowance other shards hold idle when the pool is not enough, and keeps every shard within its grant', async () => {
    const rootPath = freshRootPath();
    const firestore = emulatorClient(host!);
    const store = new FirestoreStore({ firestore, rootPath, counterShards: 4 });
    const batches = new FirestoreBatchStore({ firestore, rootPath });
    try {
      const { jobId } = await startJob(store, { rows: 200, budgetUsd: 0.1 });
      const slots = await store.dispatchRows({ jobId, maxInFlight: 1_000, limit: 200, now: T0 });
      // One fast row per shard, costing nothing: each shard takes a share of the pool and holds it idle afterwards.
      for (let k = 0; k < 4; k++) {
        const slot = slots.find((candidate) => shardOf(candidate.rowId, 4) === k)!;
        const claim = await store.claimRow({ jobId, rowId: slot.rowId, dispatchSeq: slot.dispatchSeq, now: T0, leaseMs: 60_000, reserveUsd: 0.002 });
        if (!claim.ok) throw new Error(`claim refused: ${claim.reason}`);
        await store.finishRow({ jobId, rowId: claim.row.rowId, leaseToken: claim.leaseToken, outcome: done(0), now: T0 + 1 });
      }
      // A batch of shard 0's rows only, for nearly the whole budget: the pool alone no longer covers it.
      const rows = slots
        .filter((slot) => shardOf(slot.rowId, 4) === 0)
        .slice(1, 46)
        .map((slot) => ({ rowId: slot.rowId, dispatchSeq: slot.dispatchSeq, reserveUsd: 0.002, tokens: 1 }));
      const result = await batches.claimBatch({ jobId, seq: 0, filename: 'f-0.jsonl', rows, now: T0 + 10, leaseMs: 48 * 3600_000 });
      expect(result.claimed).toHaveLength(rows.length);
      expect(await store.counts(jobId)).toMatchObject({ running: rows.length, reservedUsd: 0.002 * rows.length });

      const job = firestore.doc(rootPath).collection('jobs').doc(docId(jobId));
      const shards = (await job.collection('counters').get()).docs.map((doc) => doc.data() as { grantNanos: number; spentNanos: number; reservedNanos: number });
      const pool = (await job.collection('budget').doc('pool').get()).data() as { grantedNanos: number };
      expect(shards.reduce((sum, shard) => sum + shard.grantNanos, 0)).toBe(pool.grantedNanos);
      expect(pool.grantedNanos).toBeLessThanOrEqual(100_000_000);
      for (const shard of shards) expect(shard.spentNanos + shard.reservedNanos).toBeLessThanOrEqual(shard.grantNanos);
      await expectCountersMatchRows(store, jobId);
    } finally {
      await store.close();
      await firestore.recursiveDelete(firestore.doc(rootPath));
      await firestore.terminate();
    }
  });
});
