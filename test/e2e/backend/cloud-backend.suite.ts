// The backend as deployed, end to end over HTTP: routes, auth failures, limits, a 2,000-row job, edits mid-run,
// duplicate deliveries, cancel and resume. Runs over any Store (SQLite here, Firestore on the emulator).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EstimateView, JobView } from '../../../backend/src/http/api-types.js';
import type { Store } from '../../../backend/src/ports/store.js';
import type { Workbook } from '../../../local/sheets/index.js';
import { brandSheetRows, SHEET_JOB_CONFIG, sheetStatusCounts, writeProof } from '../../helpers/backend-client.js';
import { ADDON_CLIENT_ID, SHEETS_SA, TASKS_SA, USER, startCloudBackend, type CloudBackend, type CloudBackendOptions } from '../../helpers/cloud-backend-harness.js';

type Api = CloudBackend['as'] extends (e: string) => infer R ? R : never;

async function settle(api: Api, id: string, timeoutMs = 120_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api.get<{ job: JobView }>(`/v1/jobs/${id}`);
    const job = body.job;
    if (job.status === 'completed' || job.status === 'cancelled' || (job.status === 'paused' && job.counts.running === 0)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not settle: ${JSON.stringify(job.counts)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function sheetWith(b: CloudBackend, rows: number): Workbook {
  return b.sheets.createSpreadsheet({ title: 'Brands', tabs: [{ title: 'Brands', sheetId: 0 }], rows: brandSheetRows(rows), sharedWith: [SHEETS_SA] });
}

function startBody(workbook: Workbook, ranges: string[], config: Record<string, unknown> = {}) {
  return { spreadsheetId: workbook.id, sheetId: 0, ranges, headerRow: 1, config: { ...SHEET_JOB_CONFIG, ...config }, proofNonce: writeProof(workbook) };
}

/** Retries an assertion until it holds: the sheet is written by the pump a moment after the API says so. */
const eventually = (check: () => void): Promise<void> => vi.waitFor(check, { timeout: 10_000, interval: 100 });

/** Every data row whose status is done carries the answer for its own Brand. */
function expectResultsOnOwnRows(workbook: Workbook, lastRow: number): number {
  const table = workbook.values(`A1:Z${lastRow}`);
  const header = table[0] ?? [];
  const brand = header.indexOf('Brand');
  const category = header.indexOf('Category');
  const status = header.indexOf('rowfill_status');
  let done = 0;
  for (const row of table.slice(1)) {
    if (row[status] !== 'done') continue;
    done++;
    expect(row[category]).toEqual(expect.stringContaining(row[brand] as string));
  }
  return done;
}

export function describeCloudBackend(name: string, makeStore: () => Promise<{ store: Store; cleanup(): Promise<void> }>, skip = false): void {
  describe.skipIf(skip)(`backend over ${name}`, () => {
    let b: CloudBackend | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    const start = async (options: Omit<CloudBackendOptions, 'store'> = {}) => {
      const made = await makeStore();
      cleanup = () => made.cleanup();
      b = await startCloudBackend({ ...options, store: made.store });
      return b;
    };
    afterEach(async () => {
      await b?.close();
      await cleanup?.();
      b = undefined;
    });

    it('refuses each kind of bad caller with the right status and code', async () => {
      const be = await start();
      const body = startBody(sheetWith(be, 3), ['A2:C4']);
      const post = (headers: Record<string, string>) =>
        fetch(`${be.url}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error: { code: string } } }));
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
      expect(await post({})).toMatchObject({ status: 401, body: { error: { code: 'missing_token' } } });
      expect(await post(bearer(be.auth.mintIdToken({ aud: ADDON_CLIENT_ID, email: USER, hd: 'example.com' }, { expired: true })))).toMatchObject({ status: 401, body: { error: { code: 'token_expired' } } });
      expect(await post(bearer(be.auth.mintIdToken({ aud: ADDON_CLIENT_ID, email: USER, hd: 'example.com' }, { wrongAudience: true })))).toMatchObject({ status: 401, body: { error: { code: 'wrong_audience' } } });
      expect(await post(bearer(be.auth.mintIdToken({ aud: ADDON_CLIENT_ID, email: USER, hd: 'example.com' }, { wrongSigner: true })))).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature' } } });
      expect(await post(bearer(be.auth.mintIdToken({ aud: ADDON_CLIENT_ID, email: 'eve@other.org', hd: 'other.org' })))).toMatchObject({ status: 403, body: { error: { code: 'caller_not_allowed' } } });
      const api = be.as(USER);
      const { proofNonce: _unused, ...withoutProof } = body;
      expect(await api.post('/v1/jobs', withoutProof)).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
      expect(await api.post('/v1/jobs', { ...body, proofNonce: 'f'.repeat(48) })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      // The /tasks routes take only the tasks service account's OIDC token for this service.
      const task = (token?: string) => fetch(`${be.url}/tasks/pump`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) }, body: '{}' }).then((r) => r.status);
      expect(await task()).toBe(401);
      expect(await task(be.auth.mintIdToken({ aud: be.url, email: 'someone@rowfill-test.iam.gserviceaccount.com' }))).toBe(403);
      expect(await task(be.auth.mintIdToken({ aud: ADDON_CLIENT_ID, email: TASKS_SA }))).toBe(401);
      expect((await fetch(`${be.url}/healthz`)).status).toBe(200);
    });

    it('enforces the server-side limits a client cannot raise', async () => {
      const be = await start({ limits: { maxRowsPerJob: 5, maxWorkers: 10, maxBudgetUsd: 2 }, bodyLimit: '20kb' });
      const workbook = sheetWith(be, 12);
      const api = be.as(USER);
      expect(await api.post('/v1/jobs', startBody(workbook, ['A2:C4'], { workers: 11 }))).toMatchObject({ status: 400, body: { error: { code: 'invalid_config' } } });
      expect(await api.post('/v1/jobs', startBody(workbook, ['A2:C4'], { budgetUsd: 3 }))).toMatchObject({ status: 400, body: { error: { code: 'invalid_config' } } });
      expect(await api.post('/v1/jobs', startBody(workbook, ['A2:C13']))).toMatchObject({ status: 413, body: { error: { code: 'too_many_rows' } } });
      expect(await api.post('/v1/jobs', startBody(workbook, ['A2:C4'], { outputs: [{ name: 'X', instruction: 'y'.repeat(30_000) }] }))).toMatchObject({ status: 413, body: { error: { code: 'body_too_large' } } });
      expect(await api.post('/v1/jobs', startBody(workbook, ['A2:C4'], { inputs: ['Nope'] }))).toMatchObject({ status: 400, body: { error: { code: 'unknown_column' } } });
      const unshared = be.sheets.createSpreadsheet({ title: 'Private', rows: brandSheetRows(2) });
      expect(await api.post('/v1/jobs', startBody(unshared, ['A2:C3']))).toMatchObject({ status: 403, body: { error: { code: 'not_shared' } } });
    });

    it('runs a 2,000-row job: every row done, each result on its own row, sheet writes ≤ makespan in seconds + 5', async () => {
      const be = await start({ openai: { latencyMs: 30, jitterMs: 20 } });
      const workbook = sheetWith(be, 2000);
      const api = be.as(USER);
      const began = Date.now();
      const res = await api.post<{ job: JobView }>('/v1/jobs', startBody(workbook, ['A2:C2001'], { workers: 40, budgetUsd: 5 }));
      expect(res.status).toBe(202);
      const job = await settle(api, res.body.job.id);
      const makespanS = (Date.now() - began) / 1000;
      expect(job.status).toBe('completed');
      expect(job.counts.done).toBe(2000);
      expect(expectResultsOnOwnRows(workbook, 2001)).toBe(2000);
      const writes = be.sheets.writeLog.filter((e) => e.spreadsheetId === workbook.id);
      expect(writes.filter((e) => e.status === 200).length).toBeLessThanOrEqual(Math.ceil(makespanS) + 5);
      expect(be.openai.requestLog.filter((e) => e.billed).length).toBe(2000);
    }, 180_000);

    it('keeps every result on its own row while the sheet is sorted, rows are inserted above and one is deleted', async () => {
      const be = await start({ openai: { latencyMs: 60, jitterMs: 30 } });
      const workbook = sheetWith(be, 400);
      const api = be.as(USER);
      const res = await api.post<{ job: JobView }>('/v1/jobs', startBody(workbook, ['A2:C401'], { workers: 10 }));
      const id = res.body.job.id;
      const waitDone = async (n: number) => {
        while ((await api.get<{ job: JobView }>(`/v1/jobs/${id}`)).body.job.counts.done < n) await new Promise((r) => setTimeout(r, 50));
      };
      await waitDone(60);
      workbook.sortRange(0, { startRow: 1, endRow: 401 }, [{ column: 0, descending: true }]);
      await waitDone(150);
      workbook.insertDimension(0, 'ROWS', 1, 5);
      await waitDone(220);
      const doomed = workbook.values('A100:A100')[0]?.[0];
      workbook.deleteDimension(0, 'ROWS', 99, 100);
      const job = await settle(api, id);
      expect(job.status).toBe('completed');
      expect(job.counts.done).toBe(400);
      expect(expectResultsOnOwnRows(workbook, 405)).toBe(399);
      const table = workbook.values('A1:A420').flat();
      expect(table).not.toContain(doomed);
      // The deleted row's result stays in the store.
      const rows = await be.backend.engine.status(id);
      expect(rows.counts.done).toBe(400);
    }, 120_000);

    it('runs 200 rows in research mode: each done row cites ≥ 1 URL its own searches returned, in rowfill_sources; a fabricated citation never reaches the sheet', async () => {
      const be = await start({ search: {}, openai: { faults: { fabricatedCitation: 0.1 } } });
      const web = be.web!;
      const companies = web.companies.slice(0, 200);
      expect(companies).toHaveLength(200);
      const workbook = be.sheets.createSpreadsheet({
        title: 'Research',
        tabs: [{ title: 'Research', sheetId: 0 }],
        rows: [['Brand', 'Country'], ...companies.map((c) => [c.name, c.country])],
        sharedWith: [SHEETS_SA],
      });
      const api = be.as(USER);
      const config = {
        inputs: ['Brand'],
        outputs: [
          { name: 'Founded', instruction: 'Year the brand was founded', type: 'number' },
          { name: 'Website', instruction: 'Official website', type: 'url' },
        ],
        workers: 20,
        budgetUsd: 20,
        research: { enabled: true, maxSearches: 3, maxPages: 2 },
      };
      const body = startBody(workbook, ['A2:B201'], config);
      const { proofNonce: _, ...estimateBody } = body;
      const estimate = await api.post<{ estimate: EstimateView }>('/v1/estimate', estimateBody);
      expect(estimate.status).toBe(200);
      expect(estimate.body.estimate).toMatchObject({ toRun: 200, maxSearchesPerRow: 3, maxPagesPerRow: 2 });
      // One to three searches a row at $0.008: $1.60 to $4.80, inside the range.
      expect(estimate.body.estimate.searchCostHighUsd).toBeCloseTo(200 * 3 * 0.008, 6);
      expect(estimate.body.estimate.searchCostLowUsd).toBeCloseTo(200 * 0.008, 6);
      expect(estimate.body.estimate.readingCostHighUsd).toBeGreaterThan(0);
      expect(estimate.body.estimate.costHighUsd).toBeGreaterThan(estimate.body.estimate.searchCostHighUsd + estimate.body.estimate.readingCostHighUsd);
      const res = await api.post<{ job: JobView }>('/v1/jobs', body);
      expect(res.status).toBe(202);
      const job = await settle(api, res.body.job.id, 240_000);
      expect(job.status).toBe('completed');
      expect(job.counts.done + job.counts.failed).toBe(200);
      // The fault fired, and each row it reached either recovered with known sources or failed output_invalid.
      expect(be.openai.requestLog.some((e) => e.fault === 'fabricatedCitation')).toBe(true);
      const failed = (await be.store.listRows({ jobId: job.id, limit: 1000 })).filter((r) => r.status === 'failed');
      for (const row of failed) expect(row.errorClass).toBe('output_invalid');
      expect(job.counts.done).toBeGreaterThanOrEqual(150);

      const opened = new Set(web.requestLog.filter((e) => e.kind === 'page' && e.status === 200).map((e) => e.target));
      const searchedFor = (brand: string) => new Set(be.searches.filter((s) => s.query.toLowerCase().includes(brand.toLowerCase())).flatMap((s) => s.urls));
      await eventually(() => expect(sheetStatusCounts(workbook, 201).done).toBe(job.counts.done));
      const table = workbook.values('A1:Z201');
      const header = table[0] ?? [];
      const sources = header.indexOf('rowfill_sources');
      expect(sources).toBeGreaterThan(header.indexOf('Website'));
      expect(sources).toBe(header.indexOf('rowfill_status') - 1);
      let checked = 0;
      for (const row of table.slice(1)) {
        if (row[header.indexOf('rowfill_status')] !== 'done') continue;
        const brand = row[0] as string;
        const urls = ((row[sources] as string | undefined) ?? '').split('\n').filter((u) => u !== '');
        expect(urls.length, `${brand} has a source`).toBeGreaterThan(0);
        const own = searchedFor(brand);
        for (const url of urls) {
          expect(url).toMatch(/^https?:\/\//);
          expect(url).not.toContain('invented.example');
          // Cited only if this row's own searches returned it (an opened page was one of those results).
          expect(own.has(url) || (opened.has(url) && [...own].some((u) => new URL(u).host === new URL(url).host)), `${brand} cites ${url}`).toBe(true);
        }
        checked++;
      }
      expect(checked).toBe(job.counts.done);
    }, 300_000);

    it('clears a research job\'s sources when a later plain job answers the same rows, so no answer sits next to stale sources', async () => {
      const be = await start({ search: {} });
      const companies = be.web!.companies.slice(0, 10);
      const workbook = be.sheets.createSpreadsheet({ title: 'Again', tabs: [{ title: 'Again', sheetId: 0 }], rows: [['Brand'], ...companies.map((c) => [c.name])], sharedWith: [SHEETS_SA] });
      const api = be.as(USER);
      const outputs = [{ name: 'Founded', instruction: 'Year the brand was founded', type: 'number' }];
      const run = async (research: boolean) => {
        const res = await api.post<{ job: JobView }>('/v1/jobs', startBody(workbook, ['A2:A11'], { inputs: ['Brand'], outputs, ...(research ? { research: { enabled: true } } : {}) }));
        expect(res.status).toBe(202);
        const job = await settle(api, res.body.job.id);
        await eventually(() => expect(sheetStatusCounts(workbook, 11).done).toBe(job.counts.done));
        return job;
      };
      const sourcesColumn = () => (workbook.values('A1:Z11')[0] ?? []).indexOf('rowfill_sources');
      await run(true);
      expect(workbook.values('A2:Z11').some((r) => (r[sourcesColumn()] ?? '') !== '')).toBe(true);
      const plain = await run(false);
      expect(plain.counts.done).toBe(10);
      for (const row of workbook.values('A2:Z11')) expect(row[sourcesColumn()] ?? '').toBe('');
    });

    it('refuses a research job at estimate and start with a config error when the backend has no search service', async () => {
      const be = await start();
      const workbook = sheetWith(be, 3);
      const api = be.as(USER);
      const body = startBody(workbook, ['A2:C4'], { research: { enabled: true } });
      const { proofNonce: _, ...estimateBody } = body;
      for (const res of [await api.post('/v1/estimate', estimateBody), await api.post('/v1/jobs', body)]) {
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ error: { code: 'invalid_config' } });
        expect(JSON.stringify(res.body)).toContain('TAVILY_API_KEY');
      }
      expect(be.openai.requestLog).toHaveLength(0);
      expect(workbook.values('A1:Z1')[0]).not.toContain('rowfill_status');
    });

    it('calls the model once, charges once and writes once for a row task delivered three times', async () => {
      const be = await start({ openai: { latencyMs: 400 } });
      const workbook = sheetWith(be, 3);
      const api = be.as(USER);
      const res = await api.post<{ job: JobView }>('/v1/jobs', startBody(workbook, ['A2:C4'], { workers: 3 }));
      const id = res.body.job.id;
      const task = (rowId: string, seq: number, n: number) =>
        fetch(`${be.url}/tasks/row`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${be.auth.mintIdToken({ aud: be.url, email: TASKS_SA })}`, 'x-cloudtasks-taskretrycount': String(n), 'x-cloudtasks-taskname': `dup-${rowId}-${n}` },
          body: JSON.stringify({ name: `dup-${rowId}`, kind: 'row', payload: { jobId: id, rowId, dispatchSeq: seq } }),
        });
      const views = await be.backend.engine.status(id);
      expect(views.counts.total).toBe(3);
      const dispatched = (await be.store.listRows({ jobId: id, limit: 10 })).filter((r) => r.dispatched || r.status === 'running');
      await Promise.all(dispatched.flatMap((r) => [0, 1, 2].map((n) => task(r.rowId, r.dispatchSeq, n))));
      const job = await settle(api, id);
      expect(job.counts.done).toBe(3);
      expect(be.openai.requestLog.filter((e) => e.billed).length).toBe(3);
      expect(job.spentUsd).toBeGreaterThan(0);
      expect(expectResultsOnOwnRows(workbook, 4)).toBe(3);
    });

    it('answers every row delivery in flight before the queue stops (SIGTERM), so no row is left running', async () => {
      const be = await start({ openai: { latencyMs: 1500, jitterMs: 0 } });
      const workbook = sheetWith(be, 5);
      const api = be.as(USER);
      const id = (await api.post<{ job: JobView }>('/v1/jobs', startBody(workbook, ['A2:C6'], { workers: 5 }))).body.job.id;
      const running = async () => (await be.store.listRows({ jobId: id, limit: 10 })).filter((r) => r.status === 'running');
      await vi.waitFor(async () => expect((await running()).length).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
      await be.queue.stop();
      expect(await running()).toEqual([]);
      expect((await be.store.listRows({ jobId: id, limit: 10 })).filter((r) => r.status === 'done').length).toBeGreaterThan(0);
    });

    it('stops calling the model once cancel returns, with the cancelled status visible at once', async () => {
      const be = await start({ openai: { latencyMs: 100 } });
      const workbook = sheetWith(be, 300);
      const api = be.as(USER);
      const res = await api.post<{ job: JobView }>('/v1/jobs', startBody(workbook, ['A2:C301'], { workers: 5 }));
      const id = res.body.job.id;
      while ((await api.get<{ job: JobView }>(`/v1/jobs/${id}`)).body.job.counts.done < 10) await new Promise((r) => setTimeout(r, 50));
      const cancelled = await api.post<{ job: JobView }>(`/v1/jobs/${id}/cancel`);
      expect(cancelled.body.job.status).toBe('cancelled');
      const started = be.openai.requestLog.length;
      await new Promise((r) => setTimeout(r, 1500));
      expect(be.openai.requestLog.length).toBeLessThanOrEqual(started + 5);
      expect((await api.get<{ job: JobView }>(`/v1/jobs/${id}`)).body.job.status).toBe('cancelled');
    });

    it('answers a bad percent-encoding in any path with 400 and a JSON error, never a stack trace', async () => {
      const be = await start();
      const api = be.as(USER);
      for (const path of ['/v1/jobs/%ff', '/v1/jobs/%E0%A4%A', '/v1/sheets/%ff/access', '/v1/sheets/%ff/latest-job?sheetId=0']) {
        const res = await api.get<{ error: { code: string; message: string } }>(path);
        expect({ path, status: res.status, code: res.body.error.code }).toEqual({ path, status: 400, code: 'invalid_request' });
        expect(res.body.error.message).not.toMatch(/\bat \S+ \(/);
      }
      for (const action of ['cancel', 'resume', 'retry-failed']) {
        expect(await api.post(`/v1/jobs/%ff/${action}`)).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
      }
    });

    it("refuses to overwrite a column Rowfill did not create unless told to, and says how many filled cells it holds", async () => {
      const be = await start();
      const workbook = sheetWith(be, 6);
      workbook.setValues('C3', [['']]);
      const api = be.as(USER);
      const config = { outputs: [{ name: 'Notes', instruction: 'A short note' }, ...SHEET_JOB_CONFIG.outputs] };
      const before = workbook.values('A1:Z7');
      const estimate = await api.post<{ estimate: { overwrites: unknown } }>('/v1/estimate', { ...startBody(workbook, ['A2:C7'], config), proofNonce: undefined });
      expect(estimate.status).toBe(200);
      expect(estimate.body.estimate.overwrites).toEqual([{ column: 'Notes', filledCells: 5 }]);
      const refused = await api.post('/v1/jobs', startBody(workbook, ['A2:C7'], config));
      expect(refused).toMatchObject({
        status: 409,
        body: { error: { code: 'output_overwrite', message: '"Notes" already has 5 filled cells in the selected rows; confirm to overwrite them.' } },
      });
      // Nothing was written and nothing was spent.
      expect(workbook.values('A1:Z7')).toEqual(before);
      expect(be.openai.requestLog).toHaveLength(0);
      expect((await be.store.listJobs({ limit: 10 })).length).toBe(0);
      const started = await api.post<{ job: JobView }>('/v1/jobs', { ...startBody(workbook, ['A2:C7'], config), overwrite: true });
      expect(started.status).toBe(202);
      expect(await settle(api, started.body.job.id)).toMatchObject({ status: 'completed', counts: { done: 6 } });
      await eventually(() => expect(sheetStatusCounts(workbook, 7)).toEqual({ done: 6 }));
      // Outputs first, then status, error and cost, the hidden id last; numbers are number cells, not text.
      const table = workbook.values('A1:Z7');
      expect(table[0]?.slice(0, 10)).toEqual(['Brand', 'Country', 'Notes', 'Category', 'Founded', 'rowfill_status', 'rowfill_error', 'rowfill_cost_usd', 'rowfill_id', undefined]);
      expect(table.slice(1).map((line) => [typeof line[4], line[6], typeof line[7]])).toEqual(Array(6).fill(['number', undefined, 'number']));
      // Once Rowfill has written a column, running it again is not an overwrite of the user's data.
      const again = await api.post<{ estimate: { overwrites: unknown } }>('/v1/estimate', { ...startBody(workbook, ['A2:C7'], config), proofNonce: undefined });
      expect(again.body.estimate.overwrites).toEqual([]);
    });

    it('prices a model the table lacks from a price given with the job, and says so on the model field when none is', async () => {
      const be = await start();
      const workbook = sheetWith(be, 4);
      const api = be.as(USER);
      const estimate = (config: Record<string, unknown>) => api.post<{ estimate: { priced: boolean; costLowUsd: number; worstCaseUsd: number } }>('/v1/estimate', { ...startBody(workbook, ['A2:C5'], config), proofNonce: undefined });
      expect(await estimate({ model: 'gpt-9' })).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_config', message: 'model: no price is known for "gpt-9"; pick a listed model or enter its price per 1M tokens' } },
      });
      const priced = await estimate({ model: 'gpt-9', price: { input: 4, output: 16 } });
      expect(priced.status).toBe(200);
      expect(priced.body.estimate.priced).toBe(true);
      // Ten times gpt-4.1-mini's list price ($0.40 / $1.60), so ten times its estimate.
      const listed = await estimate({ model: 'gpt-4.1-mini' });
      expect(priced.body.estimate.costLowUsd).toBeCloseTo(listed.body.estimate.costLowUsd * 10, 9);
      expect(priced.body.estimate.worstCaseUsd).toBeCloseTo(listed.body.estimate.worstCaseUsd * 10, 9);
      expect(await estimate({ model: 'gpt-9', price: { input: 4, output: 0 } })).toMatchObject({ status: 400, body: { error: { code: 'invalid_config', message: 'price.output: must be greater than 0' } } });
    });

    it('tells the sharing helper whether its service account can open a spreadsheet, and which account that is', async () => {
      const be = await start();
      const api = be.as(USER);
      const shared = sheetWith(be, 2);
      expect(await api.get(`/v1/sheets/${shared.id}/access`)).toMatchObject({ status: 200, body: { access: { shared: true, serviceAccount: SHEETS_SA, reason: null } } });
      const unshared = be.sheets.createSpreadsheet({ title: 'Private', tabs: [{ title: 'Private', sheetId: 0 }], rows: brandSheetRows(2) });
      expect(await api.get(`/v1/sheets/${unshared.id}/access`)).toMatchObject({ status: 200, body: { access: { shared: false, serviceAccount: SHEETS_SA, reason: 'not_shared' } } });
      expect(await api.get('/v1/sheets/NoSuchSpreadsheet0000/access')).toMatchObject({ status: 200, body: { access: { shared: false, reason: 'not_found' } } });
      expect(await api.get('/v1/sheets/bad%20id/access')).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
      // The answer never carries the spreadsheet's title.
      expect(JSON.stringify((await api.get(`/v1/sheets/${shared.id}/access`)).body)).not.toContain('Brands');
    });

    it('shows re-run failed rows as queued, then running, in the sheet until they are done again', async () => {
      const be = await start({ openai: { faults: { contentFilter: 0.3 }, seed: 7 } });
      const workbook = sheetWith(be, 30);
      const api = be.as(USER);
      const res = await api.post<{ job: JobView }>('/v1/jobs', startBody(workbook, ['A2:C31'], { workers: 2 }));
      const first = await settle(api, res.body.job.id);
      expect(first.status).toBe('completed');
      const failed = first.counts.failed;
      expect(failed).toBeGreaterThan(0);
      await eventually(() => expect(sheetStatusCounts(workbook, 31)).toEqual({ done: 30 - failed, 'failed: content_filter': failed }));

      be.openai.configure({ faults: { contentFilter: 0 }, latencyMs: 1500, jitterMs: 0 });
      expect((await api.post(`/v1/jobs/${first.id}/retry-failed`, { proofNonce: writeProof(workbook) })).status).toBe(200);
      await eventually(() => expect(sheetStatusCounts(workbook, 31)['failed: content_filter'] ?? 0).toBe(0));
      expect(sheetStatusCounts(workbook, 31).queued ?? 0).toBeGreaterThan(0);
      // The two rows a worker has show `running` while their calls are out.
      await eventually(() => expect(sheetStatusCounts(workbook, 31).running ?? 0).toBeGreaterThan(0));
      expect(await settle(api, first.id)).toMatchObject({ status: 'completed', counts: { done: 30 } });
      await eventually(() => expect(sheetStatusCounts(workbook, 31)).toEqual({ done: 30 }));
    });

    it('pauses at the budget, then resumes to the end when the budget is raised', async () => {
      const be = await start();
      const workbook = sheetWith(be, 80);
      const api = be.as(USER);
      const res = await api.post<{ job: JobView }>('/v1/jobs', startBody(workbook, ['A2:C81'], { workers: 4, budgetUsd: 0.002 }));
      const paused = await settle(api, res.body.job.id);
      expect(paused).toMatchObject({ status: 'paused', pauseReason: 'budget' });
      expect(paused.spentUsd).toBeLessThanOrEqual(0.002);
      // The rows still to do say why they wait, in the sheet.
      await eventually(() => expect(sheetStatusCounts(workbook, 81)).toEqual({ done: paused.counts.done, 'paused: budget': 80 - paused.counts.done }));
      const resumed = await api.post<{ job: JobView }>(`/v1/jobs/${paused.id}/resume`, { budgetUsd: 1 });
      expect(resumed.status).toBe(200);
      const done = await settle(api, paused.id);
      expect(done).toMatchObject({ status: 'completed', counts: { done: 80 } });
      await eventually(() => expect(sheetStatusCounts(workbook, 81)).toEqual({ done: 80 }));
      // Someone else cannot act on the job without a proof of edit access.
      expect(await be.as('bob@example.com').post(`/v1/jobs/${paused.id}/retry-failed`)).toMatchObject({ status: 403 });
      expect((await be.as('bob@example.com').post(`/v1/jobs/${paused.id}/retry-failed`, { proofNonce: writeProof(workbook) })).status).toBe(200);
    });
  });
}
