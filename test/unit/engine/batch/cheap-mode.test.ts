// A crash between a provider call and its record: the next step finds what the call did instead of doing it again.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { batchFilePrefix, batchMetadata, batchStepKey } from '../../../../backend/src/engine/batch/cheap-mode.js';
import { brandRows, jobConfig, testTarget } from '../../../helpers/embedded-harness.js';
import { standInBill, startCheapHarness, type CheapHarness } from '../../../helpers/cheap-harness.js';

let h: CheapHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ROWS = 40;

/** A started job whose rows a "crashed" process claimed into batch 0 and uploaded; `created`: it also created the batch. */
async function crashedAfterUpload(harness: CheapHarness, created: boolean): Promise<string> {
  const config = jobConfig({ mode: 'cheap', budgetUsd: 5 });
  const job = await harness.engine.startJob({ owner: 'test', target: testTarget(`crash-${String(created)}`), config, rows: brandRows(ROWS) });
  // The start's top-up gave the first rows window slots (their tasks claim nothing in cheap mode): take them back.
  await harness.store.undispatchStale(job.id, Number.POSITIVE_INFINITY);
  const dispatched = await harness.store.dispatchRows({ jobId: job.id, maxInFlight: 1000, limit: 1000, now: Date.now() });
  const filename = `${batchFilePrefix(job.id)}-0.jsonl`;
  const claim = await harness.batches.claimBatch({ jobId: job.id, seq: 0, filename, rows: dispatched.map((d) => ({ rowId: d.rowId, dispatchSeq: d.dispatchSeq, reserveUsd: 0.001, tokens: 50 })), now: Date.now(), leaseMs: 3_600_000 });
  expect(claim.claimed).toHaveLength(ROWS);
  const requests = (async function* () {
    for (const entry of claim.claimed) {
      await Promise.resolve();
      yield { customId: entry.customId, request: { model: config.model, messages: [{ role: 'user' as const, content: `{"Brand":"x ${entry.rowId}"}` }], schemaName: 'row_outputs', schema: { type: 'object' }, maxOutputTokens: 50 } };
    }
  })();
  for await (const file of harness.client.pack(requests, { filenamePrefix: batchFilePrefix(job.id), firstSequence: 0 })) {
    const uploaded = await harness.client.upload(file);
    await file.dispose();
    // The process dies here (created = false), or after creating the batch but before recording it (created = true).
    if (created) {
      await harness.client.create(uploaded.fileId, batchMetadata(job.id, 0));
      await harness.batches.updateBatch(job.id, 0, { phase: 'uploaded', fileId: uploaded.fileId }, Date.now());
    }
  }
  return job.id;
}

async function providerState(harness: CheapHarness): Promise<{ batches: number; files: number }> {
  const openai = new OpenAI({ apiKey: 'sk-test', baseURL: harness.standIn.url });
  let batches = 0;
  for await (const _ of openai.batches.list({ limit: 100 })) batches++;
  let files = 0;
  for await (const f of openai.files.list()) if (f.purpose === 'batch') files++;
  return { batches, files };
}

describe('cheap mode after a crash', () => {
  it('uses the batch a crashed process created but did not record: no second batch, every row billed once', async () => {
    h = await startCheapHarness({ startQueue: false });
    const jobId = await crashedAfterUpload(h, true);
    h.start();
    const { status, counts } = await h.rest(jobId);
    expect(status).toBe('completed');
    expect(counts.done).toBe(ROWS);
    expect(await providerState(h)).toEqual({ batches: 1, files: 1 });
    expect(standInBill(h.standIn, 'gpt-4.1-mini').batchRequests).toBe(ROWS);
  }, 30_000);

  it('uses the file a crashed process uploaded but did not record: no second upload', async () => {
    h = await startCheapHarness({ startQueue: false });
    const jobId = await crashedAfterUpload(h, false);
    h.start();
    const { status, counts } = await h.rest(jobId);
    expect(status).toBe('completed');
    expect(counts.done).toBe(ROWS);
    expect(await providerState(h)).toEqual({ batches: 1, files: 1 });
    expect(counts.spentUsd).toBeCloseTo(standInBill(h.standIn, 'gpt-4.1-mini').usd, 6);
  }, 30_000);

  it('keeps every file under the byte limit: a job too large for one file goes out in several', async () => {
    h = await startCheapHarness({ maxBytesPerFile: 30_000 });
    const job = await h.engine.startJob({ owner: 'test', target: testTarget('bytes'), config: jobConfig({ mode: 'cheap', budgetUsd: 5 }), rows: brandRows(120) });
    const { status, counts } = await h.rest(job.id);
    expect(status).toBe('completed');
    expect(counts.done).toBe(120);
    const records = await h.batches.listBatches(job.id);
    expect(records.length).toBeGreaterThan(2);
    expect(records.every((r) => r.phase === 'applied' && r.providerStatus === 'completed')).toBe(true);
    // Each file held every row its batch claimed (none left out to go round again).
    const openai = new OpenAI({ apiKey: 'sk-test', baseURL: h.standIn.url });
    const sent = new Map<string, number>();
    for await (const b of openai.batches.list({ limit: 100 })) sent.set(b.metadata?.rowfill_batch ?? '', b.request_counts?.total ?? 0);
    for (const r of records) expect(sent.get(String(r.seq))).toBe(r.rowCount);
  }, 30_000);

  it('leaves a batch alone while another process holds its step, and takes it up once that hold is released', async () => {
    h = await startCheapHarness({ startQueue: false });
    const jobId = await crashedAfterUpload(h, false);
    // Another instance is in the middle of this batch's step (say, uploading it).
    const key = batchStepKey(jobId, 0);
    expect((await h.store.holdCacheKey({ key, holder: 'other-instance', now: Date.now(), holdMs: 60_000 })).kind).toBe('held');
    h.start();
    await new Promise((r) => setTimeout(r, 800));
    expect((await h.batches.getBatch(jobId, 0))?.phase).toBe('claimed');
    expect(await providerState(h)).toEqual({ batches: 0, files: 1 });
    await h.store.releaseCacheHold(key, 'other-instance');
    const { status, counts } = await h.rest(jobId);
    expect(status).toBe('completed');
    expect(counts.done).toBe(ROWS);
    expect(await providerState(h)).toEqual({ batches: 1, files: 1 });
  }, 30_000);
});

describe('applying a batch', () => {
  it('finishes many of its rows at once, so a store a round trip away (Firestore) is not paid one row at a time', async () => {
    h = await startCheapHarness();
    // A store 5 ms away, as Firestore is: the applier's steps overlap or they queue behind each other.
    const finishRow = h.store.finishRow.bind(h.store);
    let active = 0;
    let peak = 0;
    h.store.finishRow = async (request) => {
      active++;
      peak = Math.max(peak, active);
      try {
        await new Promise((r) => setTimeout(r, 5));
        return await finishRow(request);
      } finally {
        active--;
      }
    };
    const job = await h.engine.startJob({ owner: 'test', target: testTarget('apply'), config: jobConfig({ mode: 'cheap', budgetUsd: 5 }), rows: brandRows(200) });
    const { status, counts } = await h.rest(job.id);
    expect(status).toBe('completed');
    expect(counts).toMatchObject({ done: 200, running: 0, queued: 0 });
    expect(peak).toBeGreaterThan(8);
  }, 30_000);
});
