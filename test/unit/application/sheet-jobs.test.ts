// Sheet jobs through the application layer: the config is parsed once here, the sheet is checked before anything is
// written or the proof is used, and the engine gets a typed sheet target. Real Sheets client against the stand-in, real engine over SQLite.
import { afterEach, describe, expect, it } from 'vitest';
import { proofHash } from '../../../backend/src/adapters/google-sheets/index.js';
import { ForbiddenError } from '../../../backend/src/application/caller.js';
import { OverwriteError } from '../../../backend/src/application/overwrite.js';
import { SheetJobs, type SheetJobsOptions } from '../../../backend/src/application/sheet-jobs.js';
import type { Workbook } from '../../../local/sheets/workbook.js';
import { BRANDS, harness as sheetsHarness, SERVICE_ACCOUNT, type Harness as SheetsHarness } from '../adapters/google-sheets/fixtures.js';
import { startHarness, type Harness } from '../../helpers/embedded-harness.js';

let sheets: SheetsHarness | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  await sheets?.close();
  h = undefined;
  sheets = undefined;
});

const ALICE = { email: 'alice@example.com' };
const CONFIG = { inputs: ['Brand', 'Website'], outputs: [{ name: 'Category', instruction: 'Main product category' }], budgetUsd: 1, workers: 4 };

async function setUp(options: Partial<SheetJobsOptions> = {}): Promise<{ jobs: SheetJobs; book: Workbook; h: Harness }> {
  sheets = await sheetsHarness();
  // The queue stays stopped: these tests are about what a start stores and refuses, not about running rows.
  h = await startHarness({ startQueue: false });
  const book = sheets.standIn.createSpreadsheet({ title: 'Brand list', rows: BRANDS, sharedWith: [SERVICE_ACCOUNT] });
  return { jobs: new SheetJobs({ engine: h.engine, store: h.store, gateway: sheets.gateway, ...options }), book, h };
}

function prove(book: Workbook, nonce: string): void {
  book.createMetadata({ key: 'rowfill.proof', value: proofHash(nonce), visibility: 'DOCUMENT', location: { kind: 'spreadsheet' } });
}

const selection = (book: Workbook) => ({ spreadsheetId: book.id, sheetId: 0, ranges: ['A2:C7'], headerRow: 1 });

describe('SheetJobs', () => {
  it('starts a job on the selected rows with a typed sheet target, and refuses a second start while it runs', async () => {
    const { jobs, book, h } = await setUp();
    prove(book, 'n1');
    const job = await jobs.start({ ...selection(book), config: CONFIG, proofNonce: 'n1' }, ALICE);
    expect(job).toMatchObject({ owner: ALICE.email, status: 'running', target: { kind: 'sheet', spreadsheetId: book.id, sheetId: 0, spreadsheetTitle: 'Brand list' } });
    // The config the engine stored is the one parsed here, defaults filled in.
    expect(job.config).toMatchObject({ workers: 4, budgetUsd: 1, model: 'gpt-4.1-mini', force: false });
    expect((await h.store.counts(job.id)).total).toBe(6);
    expect(book.metadata.list()).not.toContainEqual(expect.objectContaining({ key: 'rowfill.proof' }));

    prove(book, 'n2');
    await expect(jobs.start({ ...selection(book), config: CONFIG, proofNonce: 'n2' }, ALICE)).rejects.toMatchObject({ code: 'job_running', message: `Job ${job.id} is already running on this sheet; cancel it or wait for it to finish.` });
    expect((await jobs.latest({ spreadsheetId: book.id, sheetId: 0 }))?.id).toBe(job.id);
    expect(await jobs.latest({ spreadsheetId: book.id, sheetId: 9 })).toBeUndefined();
  });

  it('starts a job in 3 Sheets reads and 2 writes: the selection is read once, and the proof is found with the columns', async () => {
    const { jobs, book } = await setUp();
    prove(book, 'n1');
    const before = sheets!.standIn.requestLog.length;
    await jobs.start({ ...selection(book), config: CONFIG, proofNonce: 'n1' }, ALICE);
    const requests = sheets!.standIn.requestLog.slice(before);
    const path = (e: { method: string; path: string }) => `${e.method} ${e.path.replace(`/v4/spreadsheets/${book.id}`, '')}`;
    expect(requests.filter((e) => e.kind === 'read').map(path).sort()).toEqual(['GET ', 'GET /values:batchGet', 'POST /developerMetadata:search']);
    // The proof is deleted in the same write that adds Rowfill's columns, before the rows are marked queued.
    expect(requests.filter((e) => e.kind === 'write').map(path)).toEqual(['POST :batchUpdate', 'POST /values:batchUpdate']);
    expect(book.metadata.list()).not.toContainEqual(expect.objectContaining({ key: 'rowfill.proof' }));
  });

  it('refuses a second start on a sheet with a job running without writing to the sheet', async () => {
    const { jobs, book } = await setUp();
    prove(book, 'n1');
    await jobs.start({ ...selection(book), config: CONFIG, proofNonce: 'n1' }, ALICE);
    prove(book, 'n2');
    const writes = sheets!.standIn.writeLog.length;
    await expect(jobs.start({ ...selection(book), config: CONFIG, proofNonce: 'n2' }, ALICE)).rejects.toMatchObject({ code: 'job_running' });
    expect(sheets!.standIn.writeLog.length).toBe(writes);
  });

  it("refuses a config over this backend's caps before reading the sheet or using the proof", async () => {
    const { jobs, book, h } = await setUp({ limits: { maxWorkers: 10 } });
    prove(book, 'n1');
    const refusal = await jobs.start({ ...selection(book), config: { ...CONFIG, workers: 11 }, proofNonce: 'n1' }, ALICE).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'invalid_config' });
    expect((refusal as Error).message).toMatch(/^workers: must be between 1 and 10\b/);
    await expect(jobs.estimate({ ...selection(book), config: { ...CONFIG, outputs: [] } })).rejects.toMatchObject({ code: 'invalid_config', message: 'outputs: add at least one output column' });
    expect(book.metadata.list()).toContainEqual(expect.objectContaining({ key: 'rowfill.proof' }));
    expect(await h.store.listJobs()).toEqual([]);
  });

  it('refuses research on a backend without a search service, with the message it was given', async () => {
    const { jobs, book } = await setUp({ researchUnavailable: 'research.enabled: not here' });
    await expect(jobs.estimate({ ...selection(book), config: { ...CONFIG, research: { enabled: true } } })).rejects.toMatchObject({ code: 'invalid_config', message: 'research.enabled: not here' });
  });

  it('refuses a start without a fresh proof, and stores nothing', async () => {
    const { jobs, book, h } = await setUp();
    await expect(jobs.start({ ...selection(book), config: CONFIG, proofNonce: 'never-written' }, ALICE)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await h.store.listJobs()).toEqual([]);
  });

  it("refuses to replace a column the user filled unless they confirm, before the proof is used", async () => {
    const { jobs, book } = await setUp();
    prove(book, 'n1');
    const config = { ...CONFIG, outputs: [{ name: 'Country', instruction: 'Where it is based' }] };
    const refusal = await jobs.start({ ...selection(book), config: { ...config, inputs: ['Brand'] }, proofNonce: 'n1' }, ALICE).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(OverwriteError);
    expect((refusal as Error).message).toBe('"Country" already has 6 filled cells in the selected rows; confirm to overwrite them.');
    expect(book.metadata.list()).toContainEqual(expect.objectContaining({ key: 'rowfill.proof' }));
    const job = await jobs.start({ ...selection(book), config: { ...config, inputs: ['Brand'] }, proofNonce: 'n1', overwrite: true }, ALICE);
    expect(job.status).toBe('running');
  });

  it('estimates rows and cost without writing to the sheet, and lists the columns a start would overwrite', async () => {
    const { jobs, book, h } = await setUp();
    const writes = sheets!.standIn.writeLog.length;
    const estimate = await jobs.estimate({ ...selection(book), config: CONFIG });
    expect(estimate).toMatchObject({ rows: 6, toRun: 6, skippedUnchanged: 0, priced: true, overwrites: [], maxSearchesPerRow: 0, searchCostHighUsd: 0 });
    expect(estimate.costHighUsd).toBeGreaterThan(0);
    expect(sheets!.standIn.writeLog.length).toBe(writes);
    expect(await h.store.listJobs()).toEqual([]);
  });

  it("lets a job's owner act on it, and anyone else only with a fresh proof for its spreadsheet", async () => {
    const { jobs, book } = await setUp();
    prove(book, 'n1');
    const job = await jobs.start({ ...selection(book), config: CONFIG, proofNonce: 'n1' }, ALICE);
    await expect(jobs.authorize(job, ALICE, undefined)).resolves.toBeUndefined();
    const bob = { email: 'bob@example.com' };
    await expect(jobs.authorize(job, bob, undefined)).rejects.toThrow('Only the person who started this job, or an editor of its spreadsheet with a fresh proof, may do that.');
    prove(book, 'bob-1');
    await expect(jobs.authorize(job, bob, 'bob-1')).resolves.toBeUndefined();
    await expect(jobs.authorize(job, bob, 'bob-1')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('says whether the service account can open a spreadsheet, and which account to share with', async () => {
    const { jobs, book } = await setUp();
    await expect(jobs.access(book.id)).resolves.toEqual({ shared: true, serviceAccount: SERVICE_ACCOUNT, reason: null });
    const secret = sheets!.standIn.createSpreadsheet({ title: 'Private', rows: BRANDS });
    await expect(jobs.access(secret.id)).resolves.toEqual({ shared: false, serviceAccount: SERVICE_ACCOUNT, reason: 'not_shared' });
  });
});
