// Cheap mode on the cloud path: the production composition over Firestore (emulator), Cloud Tasks, Sheets and the
// OpenAI stand-in's Batch API, driven through the HTTP API as the add-on drives it.
import OpenAI from 'openai';
import type { Firestore } from '@google-cloud/firestore';
import { afterEach, describe, expect, it } from 'vitest';
import { FirestoreStore } from '../../../backend/src/adapters/firestore/index.js';
import { costOf } from '../../../backend/src/engine/pricing.js';
import type { EstimateView, JobView } from '../../../backend/src/http/api-types.js';
import { DEFAULT_PRICES, priceFor } from '../../../backend/src/kernel/models.js';
import type { Workbook } from '../../../local/sheets/index.js';
import { brandSheetRows, SHEET_JOB_CONFIG, sheetStatusCounts, writeProof } from '../../helpers/backend-client.js';
import { standInBill } from '../../helpers/cheap-harness.js';
import { SHEETS_SA, USER, startCloudBackend, type CloudBackend, type CloudBackendOptions } from '../../helpers/cloud-backend-harness.js';
import { expectedOutputs, jobConfig } from '../../helpers/embedded-harness.js';
import { emulatorClient, freshRootPath } from '../../setup/firestore-client.js';
import { firestoreEmulatorHost } from '../../setup/firestore-emulator-host.js';

type Api = CloudBackend['as'] extends (e: string) => infer R ? R : never;

const host = firestoreEmulatorHost();
const MODEL = SHEET_JOB_CONFIG.model;
/** The sheet job's outputs as the engine parses them: what the stand-in's answer for a row is built from. */
const PARSED = jobConfig({ ...SHEET_JOB_CONFIG });

let b: CloudBackend | undefined;
let cleanup: (() => Promise<void>) | undefined;

/** The cloud backend with cheap mode wired as compose/cloud.ts wires it, its store and batch records in a fresh root. */
async function start(options: Omit<CloudBackendOptions, 'store' | 'cheap'> & { batchEnqueuedTokens?: number }): Promise<CloudBackend> {
  const firestore: Firestore = emulatorClient(host!);
  const rootPath = freshRootPath('cheap-cloud');
  const store = new FirestoreStore({ firestore, rootPath });
  cleanup = async () => {
    await store.close();
    await firestore.recursiveDelete(firestore.doc(rootPath));
    await firestore.terminate();
  };
  // ROWFILL_BATCH_POLL_MS=50: the stand-in's batches end in a fraction of a second.
  const { batchEnqueuedTokens, ...rest } = options;
  b = await startCloudBackend({ ...rest, store, cheap: { firestore, rootPath, batchPollMs: 50, ...(batchEnqueuedTokens ? { batchEnqueuedTokens } : {}) } });
  return b;
}

afterEach(async () => {
  await b?.close();
  await cleanup?.();
  b = undefined;
  cleanup = undefined;
});

function sheetWith(be: CloudBackend, rows: number): Workbook {
  return be.sheets.createSpreadsheet({ title: 'Brands', tabs: [{ title: 'Brands', sheetId: 0 }], rows: brandSheetRows(rows), sharedWith: [SHEETS_SA] });
}

function startBody(workbook: Workbook, range: string, config: Record<string, unknown>) {
  return { spreadsheetId: workbook.id, sheetId: 0, ranges: [range], headerRow: 1, config: { ...SHEET_JOB_CONFIG, ...config }, proofNonce: writeProof(workbook) };
}

/**
 * Polls the job view until the job is at rest with nothing left in a batch; `seen` gets every view on the way. A
 * cancelled batch's rows are finished a moment before its record is marked applied, so both are waited for.
 */
async function rest(api: Api, id: string, seen: JobView[] = [], timeoutMs = 120_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api.get<{ job: JobView }>(`/v1/jobs/${id}`);
    const job = body.job;
    seen.push(job);
    const stopped = job.status === 'cancelled' || job.status === 'paused';
    if (job.status === 'completed' || (stopped && job.counts.running === 0 && job.inBatch === 0 && job.batches.length === 0)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} not at rest: ${job.status} ${JSON.stringify(job.counts)} inBatch ${job.inBatch}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits for the sheet to show `want` statuses (the pump writes the sheet a moment after the store). */
async function sheetStatuses(workbook: Workbook, lastRow: number, want: (counts: Record<string, number>) => boolean, timeoutMs = 30_000): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = sheetStatusCounts(workbook, lastRow);
    if (want(counts) || Date.now() > deadline) return counts;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A cell as text: what a user reads in it. */
const text = (cell: unknown): string => (typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean' ? String(cell) : JSON.stringify(cell ?? ''));

/** Rows marked done on the sheet, each checked against the stand-in's answer for that row's own Brand and Country. */
function expectOwnAnswers(workbook: Workbook, lastRow: number): number {
  const table = workbook.values(`A1:Z${lastRow}`);
  const header = (table[0] ?? []).map(String);
  const col = (name: string) => header.indexOf(name);
  let done = 0;
  for (const row of table.slice(1)) {
    if (row[col('rowfill_status')] !== 'done') continue;
    done++;
    const expected = expectedOutputs(PARSED, { Brand: text(row[col('Brand')]), Country: text(row[col('Country')]) });
    expect({ Category: text(row[col('Category')]), Founded: text(row[col('Founded')]) }).toEqual({ Category: text(expected.Category), Founded: text(expected.Founded) });
  }
  return done;
}

/** The job's batches as the stand-in knows them (OpenAI's SDK, listing by the metadata Rowfill sets). */
async function providerBatches(be: CloudBackend, jobId: string): Promise<Array<{ id: string; input_file_id: string; status: string }>> {
  const openai = new OpenAI({ apiKey: 'sk-test', baseURL: be.openai.url });
  const all: Array<{ id: string; input_file_id: string; status: string; metadata: unknown }> = [];
  for await (const batch of openai.batches.list({ limit: 100 })) all.push(batch as never);
  return all.filter((batch) => (batch.metadata as Record<string, string> | null)?.rowfill_job === jobId);
}

/** Each billed request's row, from its custom_id (`<row id>:<dispatch seq>`): no row may be billed twice. */
function billedRows(be: CloudBackend): string[] {
  return be.openai.requestLog.filter((e) => e.billed && e.batchId).map((e) => (e.customId ?? '').replace(/:\d+$/, ''));
}

/** What the stand-in's billed requests would have cost at the model's full (fast) price. */
function fullPriceBill(be: CloudBackend): number {
  const price = priceFor(MODEL, DEFAULT_PRICES)!;
  return be.openai.requestLog.filter((e) => e.billed).reduce((usd, e) => usd + costOf({ inputTokens: e.promptTokens, cachedInputTokens: 0, outputTokens: e.completionTokens }, price), 0);
}

describe.skipIf(!host)('cheap mode on the cloud path (Firestore emulator, Cloud Tasks, Sheets and Batch API stand-ins)', () => {
  it('fills 5,000 sheet rows through several batches: each answer on its own row, the bill equals the spend, at batch prices', async () => {
    // ~80 prompt tokens a row against a 150,000-token enqueued limit: about three files, each submitted as the last ends.
    const be = await start({ openai: { batchDelayMs: 300 }, batchEnqueuedTokens: 150_000 });
    const workbook = sheetWith(be, 5000);
    const api = be.as(USER);
    const estimate = await api.post<{ estimate: EstimateView }>('/v1/estimate', { spreadsheetId: workbook.id, sheetId: 0, ranges: ['A2:C5001'], headerRow: 1, config: { ...SHEET_JOB_CONFIG, mode: 'cheap', budgetUsd: 20 } });
    expect(estimate.status).toBe(200);
    expect(estimate.body.estimate.cheapCostHighUsd / estimate.body.estimate.costHighUsd).toBeCloseTo(0.5, 1);

    const began = Date.now();
    const res = await api.post<{ job: JobView }>('/v1/jobs', startBody(workbook, 'A2:C5001', { mode: 'cheap', budgetUsd: 20 }));
    expect(res.status).toBe(202);
    expect(res.body.job.mode).toBe('cheap');
    const seen: JobView[] = [];
    // Applying a batch finishes its rows one Firestore transaction each (~25-40 rows/s on the loaded emulator).
    const job = await rest(api, res.body.job.id, seen, 420_000);
    const seconds = (Date.now() - began) / 1000;
    console.log(`cheap mode, cloud path: 5,000 rows in ${seconds.toFixed(1)} s (${(5000 / seconds).toFixed(0)} rows/s)`);

    expect(job.status).toBe('completed');
    expect(job.counts.done).toBe(5000);
    expect(job.reservedUsd).toBe(0);
    expect(job.inBatch).toBe(0);
    expect(job.batches).toEqual([]);
    // On the way, the view showed rows in batch, the open batches with their states and windows, and a "by" time.
    expect(Math.max(...seen.map((v) => v.inBatch))).toBeGreaterThan(0);
    const views = seen.flatMap((v) => v.batches);
    expect(views.length).toBeGreaterThan(0);
    for (const view of views) {
      expect(view.rows).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(view.expiresAt))).toBe(false);
    }
    expect(views.some((v) => v.status === 'in_progress' || v.status === 'validating' || v.status === 'finalizing')).toBe(true);
    expect(seen.some((v) => v.resultsBy !== null)).toBe(true);

    // Every row on the sheet reads done with the answer for its own inputs.
    expect(await sheetStatuses(workbook, 5001, (c) => c.done === 5000)).toEqual({ done: 5000 });
    expect(expectOwnAnswers(workbook, 5001)).toBe(5000);

    // Billing: 5,000 batch requests, one per row, none fast; the stand-in's bill at batch prices is the job's spend,
    // half of what the same answers cost at the full price.
    const bill = standInBill(be.openai, MODEL);
    expect(bill.batchRequests).toBe(5000);
    expect(bill.fastRequests).toBe(0);
    expect(new Set(billedRows(be)).size).toBe(5000);
    expect(job.spentUsd).toBeCloseTo(bill.usd, 6);
    expect(job.spentUsd / fullPriceBill(be)).toBeCloseTo(0.5, 6);

    // Several batches, each its own file, all completed and applied.
    const batches = await providerBatches(be, job.id);
    expect(batches.length).toBeGreaterThan(1);
    expect(new Set(batches.map((x) => x.input_file_id)).size).toBe(batches.length);
    expect(batches.map((x) => x.status)).toEqual(batches.map(() => 'completed'));
    const records = await be.batch!.store.listBatches(job.id);
    expect(records.length).toBe(batches.length);
    expect(records.map((r) => r.phase)).toEqual(records.map(() => 'applied'));
    expect(records.reduce((n, r) => n + r.rowCount, 0)).toBe(5000);
  }, 480_000);

  it('cancel mid-batch: the open batch is cancelled at the provider, unanswered rows end cancelled, nothing billed twice', async () => {
    // The stand-in answers a batch's requests over its 10 s (from 10 % to 80 % of it): a cancel lands half way.
    const be = await start({ openai: { batchDelayMs: 10_000 } });
    const workbook = sheetWith(be, 400);
    const api = be.as(USER);
    const res = await api.post<{ job: JobView }>('/v1/jobs', startBody(workbook, 'A2:C401', { mode: 'cheap', budgetUsd: 5 }));
    expect(res.status).toBe(202);
    const id = res.body.job.id;
    // Wait until the batch is in progress at the provider and partly answered, then cancel as the sidebar does.
    for (let view = res.body.job; !view.batches.some((x) => x.status === 'in_progress'); ) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await api.get<{ job: JobView }>(`/v1/jobs/${id}`)).body.job;
      expect(view.status).toBe('running');
    }
    expect(await sheetStatuses(workbook, 401, (c) => c['in batch'] === 400)).toEqual({ 'in batch': 400 });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await api.post(`/v1/jobs/${id}/cancel`)).status).toBe(200);

    const job = await rest(api, id);
    expect(job.status).toBe('cancelled');
    expect(job.counts.running).toBe(0);
    expect(job.counts.queued).toBe(0);
    expect(job.counts.cancelled).toBeGreaterThan(0);
    expect(job.counts.done + job.counts.cancelled).toBe(400);
    expect(job.reservedUsd).toBe(0);
    expect(job.batches).toEqual([]);

    const [batch, ...others] = await providerBatches(be, id);
    expect(others).toEqual([]);
    expect(batch?.status).toBe('cancelled');
    // What the provider answered before the cancel is billed once and kept; the rest is not billed.
    const bill = standInBill(be.openai, MODEL);
    expect(bill.batchRequests).toBe(job.counts.done);
    expect(bill.fastRequests).toBe(0);
    expect(new Set(billedRows(be)).size).toBe(bill.batchRequests);
    expect(job.spentUsd).toBeCloseTo(bill.usd, 6);

    const statuses = await sheetStatuses(workbook, 401, (c) => c.done === job.counts.done && c.cancelled === job.counts.cancelled);
    expect(statuses).toEqual({ done: job.counts.done, cancelled: job.counts.cancelled });
    expect(expectOwnAnswers(workbook, 401)).toBe(job.counts.done);
  }, 90_000);
});
