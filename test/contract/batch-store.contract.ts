// The BatchStore contract both stores pass (SQLite, Firestore): claiming a batch's rows as claimRow would, and its record.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchStore, ClaimBatchRequest, ClaimBatchRow } from '../../backend/src/ports/batch-store.js';
import type { Store } from '../../backend/src/ports/store.js';
import { T0, done, release, startJob } from './helpers/store-fixtures.js';
import { allRows, expectCountersMatchRows } from './helpers/store-invariants.js';

/** Rows of a batch sit at the provider for up to a day: their lease outlasts that. */
const BATCH_LEASE_MS = 48 * 3600_000;

export interface BatchStores {
  readonly store: Store;
  readonly batches: BatchStore;
}

export interface BatchStoreHarness extends BatchStores {
  /** Another instance on the same data, as another process would open it. */
  reopen(): Promise<BatchStores>;
  cleanup(): Promise<void>;
}

export type BatchStoreFactory = () => Promise<BatchStoreHarness>;

/** Dispatches up to `n` rows of a running job and returns them as batch rows (reserve and tokens per row). */
async function dispatched(store: Store, jobId: string, n: number, reserveUsd = 0.01, tokens = 100): Promise<ClaimBatchRow[]> {
  const rows: ClaimBatchRow[] = [];
  while (rows.length < n) {
    const slots = await store.dispatchRows({ jobId, maxInFlight: 100_000, limit: Math.min(500, n - rows.length), now: T0 });
    if (slots.length === 0) break;
    rows.push(...slots.map((slot) => ({ rowId: slot.rowId, dispatchSeq: slot.dispatchSeq, reserveUsd, tokens })));
  }
  return rows;
}

function request(jobId: string, seq: number, rows: readonly ClaimBatchRow[], now = T0 + 10): ClaimBatchRequest {
  return { jobId, seq, filename: `rowfill-${jobId}-${seq}.jsonl`, rows, now, leaseMs: BATCH_LEASE_MS };
}

export function describeBatchStoreContract(name: string, factory: BatchStoreFactory): void {
  describe(`BatchStore contract: ${name}`, () => {
    let harness: BatchStoreHarness;
    beforeEach(async () => {
      harness = await factory();
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    describe('claimBatch', () => {
      it('claims dispatched rows as claimRow would and records the batch with them, in order', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 5, budgetUsd: 10 });
        const rows = await dispatched(store, jobId, 3, 0.25, 40);
        const result = await batches.claimBatch(request(jobId, 0, rows));

        expect(result.refused).toEqual([]);
        expect(result.claimed.map((entry) => [entry.customId, entry.rowId, entry.dispatchSeq, entry.reserveUsd])).toEqual(
          rows.map((row) => [`${row.rowId}:${row.dispatchSeq}`, row.rowId, row.dispatchSeq, 0.25]),
        );
        expect(result.record).toEqual({
          jobId, seq: 0, filename: `rowfill-${jobId}-0.jsonl`, phase: 'claimed', fileId: null, batchId: null, providerStatus: null,
          rowCount: 3, reservedUsd: 0.75, tokens: 120, createdAt: T0 + 10, updatedAt: T0 + 10, expiresAt: null, nextPollAt: 0, polls: 0, message: null,
        });
        expect(await batches.getBatch(jobId, 0)).toEqual(result.record);
        expect(await batches.batchRows(jobId, 0)).toEqual(result.claimed);
        for (const row of rows) {
          expect(await store.getRow(jobId, row.rowId)).toMatchObject({ status: 'running', attempt: 1, leaseUntil: T0 + 10 + BATCH_LEASE_MS, reservedUsd: 0.25 });
        }
        expect(await store.counts(jobId)).toMatchObject({ queued: 2, running: 3, reservedUsd: 0.75, spentUsd: 0 });
        await expectCountersMatchRows(store, jobId);
      });

      it('refuses rows that are not claimable with claimRow’s reasons and claims the rest', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 6 });
        const [a, b, c] = await dispatched(store, jobId, 3);
        const taken = await store.claimRow({ jobId, rowId: c!.rowId, dispatchSeq: c!.dispatchSeq, now: T0, leaseMs: 60_000, reserveUsd: 0.01 });
        expect(taken.ok).toBe(true);
        const rows: ClaimBatchRow[] = [
          { ...a!, dispatchSeq: a!.dispatchSeq + 1 }, // an older or newer generation than the row's
          b!,
          c!, // already running
          { rowId: 'r6', dispatchSeq: 0, reserveUsd: 0.01, tokens: 1 }, // never dispatched
          { rowId: 'no-such-row', dispatchSeq: 1, reserveUsd: 0.01, tokens: 1 },
        ];
        const result = await batches.claimBatch(request(jobId, 0, rows));
        expect(result.claimed.map((entry) => entry.rowId)).toEqual([b!.rowId]);
        expect(result.refused).toEqual([
          { rowId: a!.rowId, reason: 'not_claimable' },
          { rowId: c!.rowId, reason: 'not_claimable' },
          { rowId: 'r6', reason: 'not_claimable' },
          { rowId: 'no-such-row', reason: 'not_claimable' },
        ]);
        expect(result.record).toMatchObject({ rowCount: 1, reservedUsd: 0.01, tokens: 100 });
        expect(await store.getRow(jobId, a!.rowId)).toMatchObject({ status: 'queued', dispatched: true });
        await expectCountersMatchRows(store, jobId);
      });

      it('claims nothing and records nothing when no row can be claimed, or the job is not running', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 3 });
        const rows = await dispatched(store, jobId, 2);
        const none = await batches.claimBatch(request(jobId, 0, [{ rowId: 'r3', dispatchSeq: 0, reserveUsd: 0, tokens: 1 }]));
        expect(none).toEqual({ record: undefined, claimed: [], refused: [{ rowId: 'r3', reason: 'not_claimable' }] });
        expect(await batches.getBatch(jobId, 0)).toBeUndefined();

        await store.transitionJob(jobId, { to: 'paused', from: ['running'], pauseReason: 'user', now: T0 + 1 });
        const paused = await batches.claimBatch(request(jobId, 0, rows));
        expect(paused.record).toBeUndefined();
        expect(paused.refused).toEqual(rows.map((row) => ({ rowId: row.rowId, reason: 'job_not_running' })));
        expect(await batches.listBatches(jobId)).toEqual([]);
        expect(await store.counts(jobId)).toMatchObject({ running: 0, reservedUsd: 0 });

        const unknown = await batches.claimBatch(request('no-such-job', 0, [{ rowId: 'r1', dispatchSeq: 1, reserveUsd: 0, tokens: 1 }]));
        expect(unknown.record).toBeUndefined();
        expect(unknown.refused).toEqual([{ rowId: 'r1', reason: 'not_claimable' }]);
      });

      it('stops at the first budget refusal: spent + reserved never exceeds the budget, and later rows are not claimed out of order', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 8, budgetUsd: 1 });
        // $0.20 already spent by a fast-mode row.
        const [first] = await dispatched(store, jobId, 1);
        const fast = await store.claimRow({ jobId, rowId: first!.rowId, dispatchSeq: first!.dispatchSeq, now: T0, leaseMs: 60_000, reserveUsd: 0.3 });
        if (!fast.ok) throw new Error(`claim refused: ${fast.reason}`);
        await store.finishRow({ jobId, rowId: first!.rowId, leaseToken: fast.leaseToken, outcome: done(0.2), now: T0 + 1 });

        const rows = await dispatched(store, jobId, 5);
        const sized = rows.map((row, i) => ({ ...row, reserveUsd: [0.3, 0.3, 0.3, 0.05, 0.01][i]! }));
        // 0.2 + 0.3 + 0.3 = 0.8 fits; a third 0.3 would make 1.1; the small rows after it would fit but are not claimed.
        const result = await batches.claimBatch(request(jobId, 0, sized));
        expect(result.claimed.map((entry) => entry.rowId)).toEqual(sized.slice(0, 2).map((row) => row.rowId));
        expect(result.refused).toEqual(sized.slice(2).map((row) => ({ rowId: row.rowId, reason: 'budget' })));
        expect(result.record).toMatchObject({ rowCount: 2, reservedUsd: 0.6 });
        const counts = await store.counts(jobId);
        expect(counts).toMatchObject({ spentUsd: 0.2, reservedUsd: 0.6, running: 2 });

        // Exactly what is left fits: a reservation of exactly 0.2 is admitted, one nanodollar more is not.
        const more = await batches.claimBatch(request(jobId, 1, [{ ...sized[2]!, reserveUsd: 0.200000001 }, sized[3]!]));
        expect(more.refused).toEqual([{ rowId: sized[2]!.rowId, reason: 'budget' }, { rowId: sized[3]!.rowId, reason: 'budget' }]);
        const exact = await batches.claimBatch(request(jobId, 1, [{ ...sized[2]!, reserveUsd: 0.2 }]));
        expect(exact.claimed).toHaveLength(1);
        expect(await store.counts(jobId)).toMatchObject({ spentUsd: 0.2, reservedUsd: 0.8 });
        await expectCountersMatchRows(store, jobId);
      });

      it('claims with no budget at all (budget null) however much is reserved', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 3, budgetUsd: null });
        const rows = await dispatched(store, jobId, 3, 1_000);
        const result = await batches.claimBatch(request(jobId, 0, rows));
        expect(result.claimed).toHaveLength(3);
        expect(await store.counts(jobId)).toMatchObject({ running: 3, reservedUsd: 3_000 });
      });

      it('refuses a seq the job already has, changing nothing', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 4 });
        const rows = await dispatched(store, jobId, 4);
        const first = await batches.claimBatch(request(jobId, 0, rows.slice(0, 2)));
        await expect(batches.claimBatch(request(jobId, 0, rows.slice(2), T0 + 99))).rejects.toThrow();
        expect(await batches.getBatch(jobId, 0)).toEqual(first.record);
        expect(await batches.batchRows(jobId, 0)).toEqual(first.claimed);
        for (const row of rows.slice(2)) expect(await store.getRow(jobId, row.rowId)).toMatchObject({ status: 'queued', dispatched: true, reservedUsd: 0 });
        expect(await store.counts(jobId)).toMatchObject({ running: 2, reservedUsd: 0.02 });
        await expectCountersMatchRows(store, jobId);
      });

      it('lets only one of two claims of the same seq at once record it; the other changes nothing', async () => {
        const { store, batches } = harness;
        const other = await harness.reopen();
        const { jobId } = await startJob(store, { rows: 20 });
        const rows = await dispatched(store, jobId, 20);
        const outcomes = await Promise.allSettled([batches.claimBatch(request(jobId, 0, rows.slice(0, 10))), other.batches.claimBatch(request(jobId, 0, rows.slice(10)))]);
        const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
        expect(won).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(1);
        expect(await batches.batchRows(jobId, 0)).toEqual(won[0]!.claimed);
        expect(await store.counts(jobId)).toMatchObject({ running: 10, queued: 10, reservedUsd: 0.1 });
        await expectCountersMatchRows(store, jobId);
      });

      it('rejects bad arguments with exact messages before changing anything', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 1 });
        const rows = await dispatched(store, jobId, 1);
        const good = request(jobId, 0, rows);
        await expect(batches.claimBatch({ ...good, seq: -1 })).rejects.toThrow('seq must be a non-negative integer, got -1');
        await expect(batches.claimBatch({ ...good, leaseMs: 0 })).rejects.toThrow('leaseMs must be a positive number, got 0');
        await expect(batches.claimBatch({ ...good, now: Number.NaN })).rejects.toThrow('now must be a finite number, got NaN');
        await expect(batches.claimBatch({ ...good, filename: '' })).rejects.toThrow('claimBatch: filename must be a non-empty string');
        await expect(batches.claimBatch({ ...good, rows: [{ ...rows[0]!, reserveUsd: -1 }] })).rejects.toThrow('reserveUsd must not be negative, got -1');
        expect(await store.counts(jobId)).toMatchObject({ running: 0, reservedUsd: 0 });
        expect(await batches.listBatches(jobId)).toEqual([]);
      });

      it('never gives one row to two batches claimed at once, from two instances', async () => {
        const { store, batches } = harness;
        const other = await harness.reopen();
        const { jobId } = await startJob(store, { rows: 60, budgetUsd: 10 });
        const rows = await dispatched(store, jobId, 60);
        // Overlapping halves, in opposite orders.
        const left = rows.slice(0, 40);
        const right = rows.slice(20).reverse();
        const [a, b] = await Promise.all([batches.claimBatch(request(jobId, 0, left)), other.batches.claimBatch(request(jobId, 1, right))]);
        const claimedA = a.claimed.map((entry) => entry.rowId);
        const claimedB = b.claimed.map((entry) => entry.rowId);
        expect(claimedA.filter((rowId) => claimedB.includes(rowId))).toEqual([]);
        expect(new Set([...claimedA, ...claimedB]).size).toBe(60);
        for (const result of [a, b]) for (const refusal of result.refused) expect(refusal.reason).toBe('not_claimable');
        expect((await batches.batchRows(jobId, 0)).map((entry) => entry.rowId)).toEqual(claimedA);
        expect((await batches.batchRows(jobId, 1)).map((entry) => entry.rowId)).toEqual(claimedB);
        expect(await store.counts(jobId)).toMatchObject({ running: 60, reservedUsd: 0.6 });
        await expectCountersMatchRows(store, jobId);
      });
    });

    describe('batch records', () => {
      it('updateBatch changes the fields given and keeps the rest; getBatch, listBatches (open) and batchRows read them back', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 6 });
        const rows = await dispatched(store, jobId, 6);
        for (const seq of [0, 1, 2]) await batches.claimBatch(request(jobId, seq, rows.slice(seq * 2, seq * 2 + 2)));

        const uploaded = await batches.updateBatch(jobId, 0, { phase: 'uploaded', fileId: 'file-1' }, T0 + 20);
        expect(uploaded).toMatchObject({ seq: 0, phase: 'uploaded', fileId: 'file-1', batchId: null, rowCount: 2, createdAt: T0 + 10, updatedAt: T0 + 20 });
        const submitted = await batches.updateBatch(jobId, 0, { phase: 'submitted', batchId: 'batch_1', providerStatus: 'validating', expiresAt: T0 + 86_400_000, nextPollAt: T0 + 30_000 }, T0 + 30);
        expect(submitted).toMatchObject({ phase: 'submitted', fileId: 'file-1', batchId: 'batch_1', providerStatus: 'validating', expiresAt: T0 + 86_400_000, nextPollAt: T0 + 30_000, polls: 0 });
        const polled = await batches.updateBatch(jobId, 0, { providerStatus: 'in_progress', polls: 1, nextPollAt: T0 + 75_000 }, T0 + 40);
        expect(polled).toEqual({ ...submitted!, providerStatus: 'in_progress', polls: 1, nextPollAt: T0 + 75_000, updatedAt: T0 + 40 });
        await batches.updateBatch(jobId, 1, { phase: 'applied', message: 'batch expired with 1 of 2 answered' }, T0 + 50);

        expect(await batches.getBatch(jobId, 0)).toEqual(polled);
        expect((await batches.listBatches(jobId)).map((record) => [record.seq, record.phase])).toEqual([[0, 'submitted'], [1, 'applied'], [2, 'claimed']]);
        expect((await batches.listBatches(jobId, { open: true })).map((record) => record.seq)).toEqual([0, 2]);
        expect((await batches.getBatch(jobId, 1))?.message).toBe('batch expired with 1 of 2 answered');
        expect((await batches.batchRows(jobId, 2)).map((entry) => entry.rowId)).toEqual(rows.slice(4).map((row) => row.rowId));
      });

      it('listOpenBatches lists the open batches of every job (what waits at the provider across jobs), none applied', async () => {
        const { store, batches } = harness;
        expect(await batches.listOpenBatches()).toEqual([]);
        const first = await startJob(store, { rows: 4 });
        const second = await startJob(store, { rows: 4 });
        const firstRows = await dispatched(store, first.jobId, 4, 0.01, 30);
        const secondRows = await dispatched(store, second.jobId, 4, 0.01, 50);
        for (const seq of [0, 1]) await batches.claimBatch(request(first.jobId, seq, firstRows.slice(seq * 2, seq * 2 + 2)));
        for (const seq of [0, 1]) await batches.claimBatch(request(second.jobId, seq, secondRows.slice(seq * 2, seq * 2 + 2)));
        await batches.updateBatch(first.jobId, 0, { phase: 'submitted', batchId: 'batch_a', providerStatus: 'in_progress', nextPollAt: T0 + 30_000 }, T0 + 20);
        await batches.updateBatch(second.jobId, 1, { phase: 'applied' }, T0 + 20);

        const open = await batches.listOpenBatches();
        const key = (record: { jobId: string; seq: number }) => `${record.jobId}/${record.seq}`;
        expect(open.map(key).sort()).toEqual([`${first.jobId}/0`, `${first.jobId}/1`, `${second.jobId}/0`].sort());
        // The same records listBatches reads, with their tokens and poll schedule.
        for (const record of open) expect(record).toEqual(await batches.getBatch(record.jobId, record.seq));
        expect(open.find((record) => key(record) === `${first.jobId}/0`)).toMatchObject({ phase: 'submitted', providerStatus: 'in_progress', tokens: 60, nextPollAt: T0 + 30_000 });
        expect(open.find((record) => key(record) === `${second.jobId}/0`)).toMatchObject({ phase: 'claimed', tokens: 100 });

        for (const seq of [0, 1]) await batches.updateBatch(first.jobId, seq, { phase: 'applied' }, T0 + 30);
        await batches.updateBatch(second.jobId, 0, { phase: 'applied' }, T0 + 30);
        expect(await batches.listOpenBatches()).toEqual([]);
      });

      it('answers undefined or empty for a batch or job that does not exist', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 1 });
        expect(await batches.updateBatch(jobId, 7, { phase: 'uploaded' }, T0)).toBeUndefined();
        expect(await batches.getBatch(jobId, 7)).toBeUndefined();
        expect(await batches.batchRows(jobId, 7)).toEqual([]);
        expect(await batches.listBatches('no-such-job', { open: true })).toEqual([]);
        expect(await batches.getBatch(jobId, 7)).toBeUndefined();
      });

      it('rejects an unknown phase before writing', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 1 });
        const rows = await dispatched(store, jobId, 1);
        const { record } = await batches.claimBatch(request(jobId, 0, rows));
        await expect(batches.updateBatch(jobId, 0, { phase: 'lost' as 'applied' }, T0 + 1)).rejects.toThrow('updateBatch: phase must be one of claimed, uploaded, submitted, ended, applied, got "lost"');
        expect(await batches.getBatch(jobId, 0)).toEqual(record);
      });
    });

    describe('rows a batch holds', () => {
      it('finish through Store.finishRow with the entry’s lease token, which releases the reservation; a stale token changes nothing', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 3, budgetUsd: 5 });
        const rows = await dispatched(store, jobId, 3, 0.5);
        const { claimed } = await batches.claimBatch(request(jobId, 0, rows));
        const [a, b, c] = await batches.batchRows(jobId, 0);
        expect([a, b, c].map((entry) => entry!.leaseToken)).toEqual(claimed.map((entry) => entry.leaseToken));

        expect(await store.finishRow({ jobId, rowId: a!.rowId, leaseToken: a!.leaseToken + 1, outcome: done(0.1), now: T0 + 100 })).toBe(false);
        expect(await store.finishRow({ jobId, rowId: a!.rowId, leaseToken: a!.leaseToken, outcome: done(0.1), now: T0 + 100 })).toBe(true);
        expect(await store.finishRow({ jobId, rowId: b!.rowId, leaseToken: b!.leaseToken, outcome: release(), now: T0 + 100 })).toBe(true);
        expect(await store.getRow(jobId, a!.rowId)).toMatchObject({ status: 'done', reservedUsd: 0, costUsd: 0.1 });
        expect(await store.getRow(jobId, b!.rowId)).toMatchObject({ status: 'queued', reservedUsd: 0 });
        expect(await store.counts(jobId)).toMatchObject({ done: 1, running: 1, queued: 1, spentUsd: 0.1, reservedUsd: 0.5 });
        // The same answer applied again (a restart replaying the results) is refused: the row moved on.
        expect(await store.finishRow({ jobId, rowId: a!.rowId, leaseToken: a!.leaseToken, outcome: done(0.1), now: T0 + 101 })).toBe(false);
        await expectCountersMatchRows(store, jobId);
      });

      it('are not taken back by lease expiry before their long lease lapses', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 2 });
        const rows = await dispatched(store, jobId, 2);
        await batches.claimBatch(request(jobId, 0, rows));
        // A fast-mode lease would have lapsed long ago.
        expect(await store.expireLeases(jobId, T0 + 10 + 25 * 3600_000)).toBe(0);
        expect(await store.counts(jobId)).toMatchObject({ running: 2 });
        expect(await store.expireLeases(jobId, T0 + 11 + BATCH_LEASE_MS)).toBe(2);
        expect(await store.counts(jobId)).toMatchObject({ running: 0, queued: 2 });
        await expectCountersMatchRows(store, jobId);
      });

      it('stay running with their reservation when the job is cancelled, until the batch releases them (then cancelled)', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 4, budgetUsd: 5 });
        const rows = await dispatched(store, jobId, 3, 0.5);
        const { claimed } = await batches.claimBatch(request(jobId, 0, rows.slice(0, 2)));
        await store.transitionJob(jobId, { to: 'cancelled', from: ['running'], now: T0 + 50 });

        // The batch still holds its rows: the provider may answer them (and bill them), so the reservation stays.
        for (const entry of claimed) expect(await store.getRow(jobId, entry.rowId)).toMatchObject({ status: 'running', reservedUsd: 0.5 });
        expect((await batches.listBatches(jobId, { open: true })).map((record) => record.seq)).toEqual([0]);
        const late = await batches.claimBatch(request(jobId, 1, rows.slice(2)));
        expect(late.refused).toEqual([{ rowId: rows[2]!.rowId, reason: 'job_not_running' }]);
        expect(late.record).toBeUndefined();

        // An answer that arrives still counts; an unanswered row is released and ends cancelled.
        expect(await store.finishRow({ jobId, rowId: claimed[0]!.rowId, leaseToken: claimed[0]!.leaseToken, outcome: done(0.2), now: T0 + 60 })).toBe(true);
        expect(await store.finishRow({ jobId, rowId: claimed[1]!.rowId, leaseToken: claimed[1]!.leaseToken, outcome: release(), now: T0 + 60 })).toBe(true);
        await batches.updateBatch(jobId, 0, { phase: 'applied' }, T0 + 61);
        expect(await store.getRow(jobId, claimed[1]!.rowId)).toMatchObject({ status: 'cancelled', reservedUsd: 0 });
        expect(await store.counts(jobId)).toMatchObject({ done: 1, cancelled: 3, running: 0, reservedUsd: 0, spentUsd: 0.2 });
        expect(await batches.listBatches(jobId, { open: true })).toEqual([]);
        await expectCountersMatchRows(store, jobId);
      });
    });

    describe('large batches', () => {
      it('claims 1,200 rows in one batch: every row named once, in order, counters and record totals exact', async () => {
        const { store, batches } = harness;
        const { jobId } = await startJob(store, { rows: 1_200, budgetUsd: 100 });
        const rows = await dispatched(store, jobId, 1_200, 0.001, 7);
        const result = await batches.claimBatch(request(jobId, 0, rows));
        expect(result.refused).toEqual([]);
        expect(result.record).toMatchObject({ rowCount: 1_200, reservedUsd: 1.2, tokens: 8_400, phase: 'claimed' });
        expect(await batches.getBatch(jobId, 0)).toEqual(result.record);
        const entries = await batches.batchRows(jobId, 0);
        expect(entries.map((entry) => entry.rowId)).toEqual(rows.map((row) => row.rowId));
        expect(entries).toEqual(result.claimed);
        const all = await allRows(store, jobId);
        expect(all.every((row) => row.status === 'running' && row.reservedUsd === 0.001)).toBe(true);
        expect(await store.counts(jobId)).toMatchObject({ running: 1_200, reservedUsd: 1.2 });
      });

      it('stops at a budget refusal deep in a large batch, with the budget exactly used', async () => {
        const { store, batches } = harness;
        // $0.75 at $0.001 a row: exactly 750 of 1,000 rows fit.
        const { jobId } = await startJob(store, { rows: 1_003, budgetUsd: 0.75 });
        // Fast-mode rows that cost nothing first: a sharded store has handed parts of the budget out by then.
        for (const fast of await dispatched(store, jobId, 3, 0.001)) {
          const claim = await store.claimRow({ jobId, rowId: fast.rowId, dispatchSeq: fast.dispatchSeq, now: T0, leaseMs: 60_000, reserveUsd: 0.001 });
          if (!claim.ok) throw new Error(`claim refused: ${claim.reason}`);
          await store.finishRow({ jobId, rowId: fast.rowId, leaseToken: claim.leaseToken, outcome: done(0), now: T0 + 1 });
        }
        const rows = await dispatched(store, jobId, 1_000, 0.001);
        const result = await batches.claimBatch(request(jobId, 0, rows));
        expect(result.claimed.map((entry) => entry.rowId)).toEqual(rows.slice(0, 750).map((row) => row.rowId));
        expect(result.refused).toHaveLength(250);
        expect(result.refused.every((refusal) => refusal.reason === 'budget')).toBe(true);
        expect(result.record).toMatchObject({ rowCount: 750, reservedUsd: 0.75 });
        expect(await store.counts(jobId)).toMatchObject({ running: 750, queued: 250, done: 3, spentUsd: 0, reservedUsd: 0.75 });
        await expectCountersMatchRows(store, jobId);
      });
    });
  });
}
