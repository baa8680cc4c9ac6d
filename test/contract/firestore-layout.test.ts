// What only the Firestore store has: leases raced by several clients, a settle left half-done, and where writes land.
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirestoreStore, type CommitTouch } from '../../backend/src/adapters/firestore/index.js';
import { Layout } from '../../backend/src/adapters/firestore/layout.js';
import { emulatorClient, freshRootPath } from '../setup/firestore-client.js';
import { firestoreEmulatorHost } from '../setup/firestore-emulator-host.js';
import { raceClaimsAndFinishes } from './helpers/race-claims.js';
import { CONFIG, LEASE_MS, T0, done, failed, newJob, newRows, retry, startJob } from './helpers/store-fixtures.js';
import { countFirestore } from '../../bench/cloud/firestore-counter.js';
import { expectCountersMatchRows } from './helpers/store-invariants.js';

const host = firestoreEmulatorHost();

describe.skipIf(!host)('FirestoreStore on the emulator, beyond the contract', () => {
  let rootPath: string;
  let clients: Firestore[];
  let stores: FirestoreStore[];
  const open = (options: { onCommit?: (touches: readonly CommitTouch[]) => void; counterShards?: number } = {}): FirestoreStore => {
    const firestore = emulatorClient(host!);
    clients.push(firestore);
    const store = new FirestoreStore({ firestore, rootPath, ...options });
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    rootPath = freshRootPath();
    clients = [];
    stores = [];
  });

  afterEach(async () => {
    for (const store of stores) await store.close();
    await clients[0]?.recursiveDelete(clients[0].doc(rootPath));
    for (const client of clients) await client.terminate();
  });

  it('4 clients racing claims and finishes never overspend the budget and finish each row once', async () => {
    const first = open();
    // Budget $1, reserve $0.01, actual cost $0.006: a claim fits while spent ≤ $0.99, so exactly 166 rows can finish.
    const { jobId } = await startJob(first, { rows: 200, budgetUsd: 1 });
    const rowIds = (await first.dispatchRows({ jobId, maxInFlight: 200, limit: 200, now: T0 })).map((slot) => slot.rowId);
    const racers = [first, open(), open(), open()];
    const reports = await Promise.all(racers.map((store, i) => raceClaimsAndFinishes(store, { jobId, rowIds, reserveUsd: 0.01, costUsd: 0.006, seed: i + 1 })));

    const finished = reports.flatMap((report) => report.finished);
    expect(new Set(finished).size).toBe(finished.length);
    expect(finished).toHaveLength(166);
    expect(reports.every((report) => report.duplicateFinishes === 0)).toBe(true);
    expect(Math.max(...reports.map((report) => report.maxCommittedNanos))).toBeLessThanOrEqual(1e9);
    expect(await first.counts(jobId)).toMatchObject({ done: 166, queued: 34, running: 0, reservedUsd: 0, spentUsd: 0.996 });
    await expectCountersMatchRows(first, jobId);
  }, 120_000);

  it('a cancel whose rows were never settled (the process died) is finished by the next reader', async () => {
    const store = open();
    const { jobId } = await startJob(store, { rows: 450 });
    await store.dispatchRows({ jobId, maxInFlight: 10, limit: 10, now: T0 });
    // What transitionJob commits before it settles the rows: the status everywhere and the mark on the job.
    const layout = new Layout(clients[0]!, rootPath);
    const batch = clients[0]!.batch();
    batch.update(layout.job(jobId), { status: 'cancelled', finishedAt: T0 + 5, updatedAt: T0 + 5, settle: { cancel: true, at: T0 + 5 } });
    for (const shard of (await layout.counters(jobId).get()).docs) batch.update(shard.ref, { status: 'cancelled' });
    for (const shard of (await layout.windows(jobId).get()).docs) batch.update(shard.ref, { status: 'cancelled' });
    await batch.commit();

    const reader = open();
    expect(await reader.getRow(jobId, 'r450')).toMatchObject({ status: 'cancelled', dispatched: false, finishedAt: T0 + 5 });
    expect(await reader.counts(jobId)).toMatchObject({ queued: 0, cancelled: 450 });
    expect((await reader.listRows({ jobId, limit: 1_000, unflushedOnly: true })).length).toBe(450);
    await expectCountersMatchRows(reader, jobId);
  });

  it('row steps never write the job document, and spread their writes over the shards', async () => {
    const writes = new Map<string, number>();
    // 32 shards, so 400 rows land on every one of them (the default, 128, is sized for faster jobs).
    const shards = 32;
    const store = open({ counterShards: shards, onCommit: (touches) => touches.forEach((t) => t.kind === 'write' && writes.set(t.path, (writes.get(t.path) ?? 0) + 1)) });
    const { jobId } = await startJob(store, { rows: 400, budgetUsd: 100 });
    writes.clear();
    for (let now = T0; ; now++) {
      const slots = await store.dispatchRows({ jobId, maxInFlight: 20, limit: 20, now });
      if (slots.length === 0) break;
      await Promise.all(
        slots.map(async (slot) => {
          const claim = await store.claimRow({ jobId, rowId: slot.rowId, dispatchSeq: slot.dispatchSeq, now, leaseMs: LEASE_MS, reserveUsd: 0.01 });
          if (!claim.ok) throw new Error(`claim refused: ${claim.reason}`);
          await store.finishRow({ jobId, rowId: slot.rowId, leaseToken: claim.leaseToken, outcome: done(0.004), now });
        }),
      );
    }
    expect(await store.counts(jobId)).toMatchObject({ done: 400, spentUsd: 1.6 });
    const layout = new Layout(clients[0]!, rootPath);
    const of = (prefix: string) => [...writes].filter(([path]) => path.startsWith(prefix)).map(([, n]) => n);
    expect(writes.get(layout.job(jobId).path) ?? 0).toBe(0);
    // The pool is written once per chunk of budget handed to a shard, not once per row.
    expect(writes.get(layout.pool(jobId).path) ?? 0).toBeLessThan(100);
    const counters = of(`${layout.counters(jobId).path}/`);
    expect(counters.length).toBe(shards);
    // 800 claims and finishes over the shards, rows dealt in order: none takes more than its share (2 × 13) and a
    // budget top-up or two (by hash, up to three times its share).
    expect(Math.max(...counters)).toBeLessThanOrEqual(2 * Math.ceil(400 / shards) + 2);
  });

  it('a job that may reach 167 rows/s gets 434 counter shards, and its claims, finishes, window and counts use them all', async () => {
    const writes = new Map<string, number>();
    const store = open({ onCommit: (touches) => touches.forEach((t) => t.kind === 'write' && writes.set(t.path, (writes.get(t.path) ?? 0) + 1)) });
    // 10,000 requests a minute: ⌈2 × 166.7 × 1.3⌉ shards (shard-sizing.ts), over the store's 128.
    const job = newJob({ config: { ...CONFIG, workers: 'auto', rpm: 10_000 }, budgetUsd: 20 });
    await store.createJob(job, T0);
    const rows = 600;
    await store.addRows(job.id, newRows(rows));
    await store.transitionJob(job.id, { to: 'running', from: ['preparing'], now: T0 });
    const layout = new Layout(clients[0]!, rootPath);
    expect((await layout.counters(job.id).get()).size).toBe(434);
    expect((await layout.job(job.id).get()).data()).toMatchObject({ counterShards: 434 });
    // A cheap job keeps the store's count: a batch claim writes every shard in one commit.
    const cheap = newJob({ config: { ...CONFIG, workers: 'auto', rpm: 10_000, mode: 'cheap' } });
    await store.createJob(cheap, T0);
    expect((await layout.counters(cheap.id).get()).size).toBe(128);

    // 50 at a time: once all have finished, the window must have room for 50 again, so the released slots summed
    // over every one of the 434 shards (dispatch-rows.ts) — a sum over 128 of them would leave it short.
    const run = async (runner: FirestoreStore, slots: ReadonlyArray<{ rowId: string; dispatchSeq: number }>, now: number) =>
      Promise.all(
        slots.map(async (slot) => {
          const claim = await runner.claimRow({ jobId: job.id, rowId: slot.rowId, dispatchSeq: slot.dispatchSeq, now, leaseMs: LEASE_MS, reserveUsd: 0.01 });
          if (!claim.ok) throw new Error(`claim refused: ${claim.reason}`);
          expect(await runner.finishRow({ jobId: job.id, rowId: slot.rowId, leaseToken: claim.leaseToken, outcome: done(0.004), now })).toBe(true);
        }),
      );
    // Round 10 runs on another client that never read the job: it hashes by the store's 128 until it learns the
    // count, so most of its guesses are wrong, and each costs a read of the shard the row names, not a wrong count.
    // The first client, which has every shard cached, then sees no room by its cache and asks Firestore for the sum.
    const other = open();
    let now = T0;
    for (let round = 0; round < rows / 50; round++) {
      const slots = await store.dispatchRows({ jobId: job.id, maxInFlight: 50, limit: 50, now: ++now });
      expect(slots).toHaveLength(50);
      await run(round === 10 ? other : store, slots, now);
    }

    // Every row counted once, the money exact: 600 × $0.004, nothing left reserved, never over the budget.
    expect(await other.counts(job.id)).toMatchObject({ total: rows, done: rows, queued: 0, running: 0, spentUsd: 2.4, reservedUsd: 0 });
    await expectCountersMatchRows(store, job.id);
    const counters = [...writes].filter(([path]) => path.startsWith(`${layout.counters(job.id).path}/`));
    expect(counters.every(([path]) => Number(path.split('/').at(-1)) < 434)).toBe(true);
    // 600 rows dealt over 434 shards in order: every shard was written (by hash, about three in four).
    expect(counters.length).toBe(434);
    expect(await other.dispatchRows({ jobId: job.id, maxInFlight: 50, limit: 50, now: ++now })).toEqual([]);
  }, 120_000);

  it('rows dispatched together land on different counter shards, so no shard runs hot at full speed', async () => {
    const store = open();
    // 10,000 requests a minute: 434 shards. Rows are dealt to shards in row order, and a window is dispatched in row
    // order, so any 434 rows in flight at once touch 434 different shards (by hash, the busiest took ~1.65× its share).
    const job = newJob({ config: { ...CONFIG, workers: 'auto', rpm: 10_000 }, budgetUsd: 20 });
    await store.createJob(job, T0);
    // Two calls, as an intake adds a sheet in pages, with the second's rows out of order.
    const rows = newRows(1_000);
    await store.addRows(job.id, rows.slice(0, 500));
    await store.addRows(job.id, rows.slice(500).reverse());
    await store.transitionJob(job.id, { to: 'running', from: ['preparing'], now: T0 });
    const layout = new Layout(clients[0]!, rootPath);
    const shardOfRow = async (rowId: string) => ((await layout.row(job.id, rowId).get()).data() as { shard: number }).shard;
    await store.dispatchRows({ jobId: job.id, maxInFlight: 300, limit: 300, now: T0 });
    const window = await store.dispatchRows({ jobId: job.id, maxInFlight: 734, limit: 434, now: T0 + 1 });
    expect(window).toHaveLength(434);
    const shards = await Promise.all(window.map((slot) => shardOfRow(slot.rowId)));
    expect(new Set(shards).size).toBe(434);
    expect(shards.every((k) => Number.isInteger(k) && k >= 0 && k < 434)).toBe(true);
  }, 60_000);

  it('counts() of a 434-shard job sums by aggregation: a few documents read, not every shard, and the same sums', async () => {
    const store = open();
    const job = newJob({ config: { ...CONFIG, workers: 'auto', rpm: 10_000 }, budgetUsd: 20 });
    await store.createJob(job, T0);
    await store.addRows(job.id, newRows(120));
    await store.transitionJob(job.id, { to: 'running', from: ['preparing'], now: T0 });
    const slots = await store.dispatchRows({ jobId: job.id, maxInFlight: 60, limit: 60, now: T0 });
    // 40 done, 10 failed in two classes, 5 met a 429 and wait, 5 still running: classes on a few shards only.
    await Promise.all(
      slots.map(async (slot, i) => {
        const claim = await store.claimRow({ jobId: job.id, rowId: slot.rowId, dispatchSeq: slot.dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd: 0.01 });
        if (!claim.ok) throw new Error(`claim refused: ${claim.reason}`);
        const outcome = i < 40 ? done(0.004) : i < 45 ? failed(0.001) : i < 50 ? failed(0, 'output_invalid') : i < 55 ? retry(T0 + 60_000) : undefined;
        if (outcome) await store.finishRow({ jobId: job.id, rowId: slot.rowId, leaseToken: claim.leaseToken, outcome, now: T0 + 1 });
      }),
    );
    const reader = open();
    const counter = countFirestore(clients.at(-1)!, rootPath);
    const counts = await reader.counts(job.id);
    expect(counts).toMatchObject({ total: 120, done: 40, failed: 10, running: 5, queued: 65, spentUsd: 0.165, reservedUsd: 0.05 });
    expect(counts.errorsByClass).toEqual({ invalid_request: 5, output_invalid: 5 });
    expect(counts.retriesByClass).toEqual({ rate_limit: 5 });
    // The job document, two aggregations and the 15 shards that hold a class (by hash or order, at most 15 rows').
    expect(counter.counts().documentReads).toBeLessThanOrEqual(1 + 2 + 15);
    await expectCountersMatchRows(reader, job.id);
  }, 60_000);

  it('counts() of a job stored before its shards kept classKeys reads every shard, and is as right', async () => {
    const store = open();
    const { jobId } = await startJob(store, { rows: 30, budgetUsd: 10 });
    // What such a job looks like: no mark on the job document, no classKeys on its shards.
    const layout = new Layout(clients[0]!, rootPath);
    await layout.job(jobId).update({ classKeyed: FieldValue.delete() });
    for (const shard of (await layout.counters(jobId).get()).docs) await shard.ref.update({ classKeys: FieldValue.delete() });
    const reader = open();
    const slots = await reader.dispatchRows({ jobId, maxInFlight: 10, limit: 10, now: T0 });
    for (const [i, slot] of slots.entries()) {
      const claim = await reader.claimRow({ jobId, rowId: slot.rowId, dispatchSeq: slot.dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd: 0.01 });
      if (!claim.ok) throw new Error(`claim refused: ${claim.reason}`);
      await reader.finishRow({ jobId, rowId: slot.rowId, leaseToken: claim.leaseToken, outcome: i < 5 ? done(0.004) : failed(0.001), now: T0 + 1 });
    }
    const counter = countFirestore(clients.at(-1)!, rootPath);
    expect(await reader.counts(jobId)).toMatchObject({ total: 30, done: 5, failed: 5, queued: 20, errorsByClass: { invalid_request: 5 } });
    expect(counter.counts().documentReads).toBeGreaterThanOrEqual(128);
    await expectCountersMatchRows(reader, jobId);
  }, 60_000);

  it('a client acting on what it saw earlier never wins over another client that changed the row or the job since', async () => {
    const a = open();
    const b = open();
    const { jobId } = await startJob(a, { rows: 4, budgetUsd: 10 });
    const slots = await a.dispatchRows({ jobId, maxInFlight: 4, limit: 4, now: T0 });
    // A reads every row (and, claiming one, writes its shard): what it saw is what it would commit on.
    for (const slot of slots) await a.getRow(jobId, slot.rowId);
    const [first, second, third] = slots;
    // B claims the first row under A's feet: A's claim of it must find it taken.
    const byB = await b.claimRow({ jobId, rowId: first!.rowId, dispatchSeq: first!.dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd: 0.01 });
    expect(byB.ok).toBe(true);
    expect(await a.claimRow({ jobId, rowId: first!.rowId, dispatchSeq: first!.dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd: 0.01 })).toEqual({ ok: false, reason: 'not_claimable' });
    const byA = await a.claimRow({ jobId, rowId: second!.rowId, dispatchSeq: second!.dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd: 0.01 });
    expect(byA.ok).toBe(true);
    // B pauses the job: A, which saw it running in every shard it touched, claims nothing more.
    await b.transitionJob(jobId, { to: 'paused', from: ['running'], now: T0 + 1 });
    expect(await a.claimRow({ jobId, rowId: third!.rowId, dispatchSeq: third!.dispatchSeq, now: T0 + 2, leaseMs: LEASE_MS, reserveUsd: 0.01 })).toEqual({ ok: false, reason: 'job_not_running' });
    // B expires A's lease: A's finish, on the row as A last wrote it, records nothing.
    await b.expireLeases(jobId, Infinity);
    const finished = await a.finishRow({ jobId, rowId: second!.rowId, leaseToken: byA.ok ? byA.leaseToken : -1, outcome: done(0.004), now: T0 + 3 });
    expect(finished).toBe(false);
    expect(await b.getRow(jobId, second!.rowId)).toMatchObject({ status: 'queued', leaseUntil: null, outputs: null });
    await expectCountersMatchRows(b, jobId);
  });

  it('row steps running at once share their round trips: a window of claims and finishes takes a few commits, not one each', async () => {
    let steps = 0;
    const store = open({ onCommit: () => steps++ });
    const { jobId } = await startJob(store, { rows: 40, budgetUsd: 100 });
    const slots = await store.dispatchRows({ jobId, maxInFlight: 40, limit: 40, now: T0 });
    expect(slots).toHaveLength(40);
    // Counted at the client: every commit, grouped or not, is one batch the store asks the client for.
    const client = clients[0]!;
    const batch = client.batch.bind(client);
    let commits = 0;
    client.batch = () => {
      commits++;
      return batch();
    };
    steps = 0;
    await Promise.all(
      slots.map(async (slot) => {
        const claim = await store.claimRow({ jobId, rowId: slot.rowId, dispatchSeq: slot.dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd: 0.01 });
        if (!claim.ok) throw new Error(`claim refused: ${claim.reason}`);
        await store.finishRow({ jobId, rowId: slot.rowId, leaseToken: claim.leaseToken, outcome: done(0.004), now: T0 });
      }),
    );
    expect(steps).toBe(80);
    expect(commits).toBeLessThan(40);
    expect(await store.counts(jobId)).toMatchObject({ done: 40, spentUsd: 0.16, reservedUsd: 0 });
    await expectCountersMatchRows(store, jobId);
  });
});
