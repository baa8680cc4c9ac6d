// The compiled add-on (dist Code.js) in a vm against the Apps Script face, over the local backend's own Sheets stand-in workbook.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SERVICE_ACCOUNT } from '../../../backend/src/cli/dev-wiring-sheets.js';
import { startLocalServer, type LocalServer } from '../../../backend/src/cli/local-server.js';
import { loadServerConfig } from '../../../backend/src/config.js';
import type { JobView } from '../../../backend/src/http/api-types.js';
import { silentLogger } from '../../../backend/src/ports/logger.js';
import type { RpcResult, EstimateResult } from '../../../addon/src/sidebar-api.js';
import { startAddonWorker, type AddonWorker, type AddonWorkerOptions } from '../../../local/sheets/apps-script/index.js';
import type { Workbook } from '../../../local/sheets/index.js';
import { buildAddon } from '../../../scripts/build-addon.js';
import { brandSheetRows } from '../../helpers/backend-client.js';

let dir: string;
let server: LocalServer;
let bundle: string;
const workers: AddonWorker[] = [];

const SETTINGS = {
  inputs: ['Brand', 'Country'],
  outputs: [
    { name: 'Category', instruction: 'Main product category', type: 'text', options: [] },
    { name: 'Positioning', instruction: 'Price positioning', type: 'enum', options: ['budget', 'premium'] },
  ],
  model: 'gpt-4.1-mini',
  workers: 8,
  budgetUsd: 1,
  headerRow: 1,
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rowfill-addon-vm-'));
  bundle = (await buildAddon({ outDir: join(dir, 'addon') })).outDir;
  // These tests are of the add-on, not of Google's per-minute quota (test/e2e/backend/sheets-quota-firestore.test.ts is):
  // a dozen jobs a minute on one server would otherwise wait for the quota's next minute to write their last rows.
  const quota = '6000';
  const config = loadServerConfig({ ROWFILL_DB: join(dir, 'state.db'), ROWFILL_LOG_LEVEL: 'silent', ROWFILL_SHEETS_READS_PER_MINUTE: quota, ROWFILL_SHEETS_WRITES_PER_MINUTE: quota });
  server = await startLocalServer({ config, log: silentLogger, port: 0 });
  server.sheets.configure({ writesPerMinute: Number(quota) });
  server.runtime.standIn?.configure({ latencyMs: 5, jitterMs: 0 });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function sheet(rows = 40): Workbook {
  return server.sheets.createSpreadsheet({ title: 'Brands', tabs: [{ title: 'Brands', sheetId: 0 }], rows: brandSheetRows(rows), sharedWith: [LOCAL_SERVICE_ACCOUNT] });
}

async function addonOn(workbook: Workbook, options: Partial<AddonWorkerOptions> = {}): Promise<AddonWorker> {
  const addon = await startAddonWorker({
    workbook,
    user: 'ada@example.com',
    identityToken: server.token,
    scriptProperties: { ROWFILL_BACKEND_URL: server.url, ROWFILL_SERVICE_ACCOUNT: LOCAL_SERVICE_ACCOUNT },
    codePath: join(bundle, 'Code.js'),
    htmlDir: bundle,
    ...options,
  });
  workers.push(addon);
  return addon;
}

async function settle(addon: AddonWorker, jobId: string, until: (job: JobView) => boolean): Promise<JobView> {
  let last: JobView | undefined;
  for (let i = 0; i < 400; i++) {
    const answer = await addon.call<RpcResult<{ job: JobView }>>('getProgress', jobId);
    if (!answer.ok) throw new Error(answer.error.message);
    last = answer.value.job;
    if (until(answer.value.job)) return answer.value.job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the job did not settle: ${JSON.stringify(last)}`);
}

function column(workbook: Workbook, name: string): number {
  return (workbook.values('A1:Z1')[0] ?? []).indexOf(name);
}

describe('the add-on in a vm over the local backend', () => {
  it('builds the Extensions → Rowfill menu on open', async () => {
    const addon = await addonOn(sheet(3));
    await addon.call('onOpen', { authMode: 'FULL' });
    expect(addon.ui.menus).toEqual([
      {
        caption: 'Rowfill',
        addon: true,
        entries: [
          { kind: 'item', caption: 'Enrich selected rows', functionName: 'enrichSelectedRows' },
          { kind: 'item', caption: 'Re-run failed rows', functionName: 'rerunFailedRows' },
          { kind: 'item', caption: 'Cancel running job', functionName: 'cancelRunningJob' },
          { kind: 'separator' },
          { kind: 'item', caption: 'Open sidebar', functionName: 'openSidebar' },
        ],
      },
    ]);
    await addon.call('openSidebar');
    expect(addon.ui.sidebars[0]?.title).toBe('Rowfill');
    expect(addon.ui.sidebars[0]?.html).toContain('id="settings-form"');
  });

  it('says what is wrong: nothing selected, only the header, no settings yet, no backend, backend unreachable', async () => {
    const workbook = sheet(5);
    const addon = await addonOn(workbook);
    await addon.call('enrichSelectedRows');
    expect(addon.ui.lastAlert?.prompt).toMatch(/^Select the rows to enrich first/);
    addon.select(['A1:C1']);
    await addon.call('enrichSelectedRows');
    expect(addon.ui.lastAlert?.prompt).toMatch(/Only the header row \(row 1\) is selected/);
    addon.select(['2:3']);
    await addon.call('enrichSelectedRows');
    expect(addon.ui.lastAlert?.prompt).toMatch(/does not know what to fill in/);
    expect(addon.ui.events.at(-1)?.kind).toBe('sidebar');
    expect(addon.fetchLog).toEqual([]);

    const unset = await addonOn(workbook, { scriptProperties: {}, selection: ['2:3'] });
    await unset.call('enrichSelectedRows');
    expect(unset.ui.lastAlert?.prompt).toMatch(/set ROWFILL_BACKEND_URL/);

    const down = await addonOn(workbook, { scriptProperties: { ROWFILL_BACKEND_URL: 'http://127.0.0.1:9' }, selection: ['2:3'] });
    expect(await down.call('saveSettings', SETTINGS)).toMatchObject({ ok: true });
    await down.call('enrichSelectedRows');
    expect(down.ui.lastAlert?.prompt).toMatch(/backend at http:\/\/127\.0\.0\.1:9 cannot be reached right now/);
    // The sidebar's start writes the proof before posting; a request that found no backend takes it back out.
    const start = await down.call<RpcResult<unknown>>('startEnrichment');
    expect(start).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    expect(down.fetchLog.at(-1)?.requestBody).toContain('"proofNonce"');
    expect(workbook.metadata.list().filter((m) => m.key === 'rowfill.proof')).toEqual([]);
  });

  it('turns the selection into merged whole-row ranges below the header, leaving hidden rows out', async () => {
    const workbook = sheet(30);
    workbook.setHidden(0, 'ROWS', 5, 6, true);
    const addon = await addonOn(workbook, { selection: ['A1:B4', 'C3:C9', '8:8', '20:25', 'B40:B60'] });
    await addon.call('saveSettings', SETTINGS);
    const answer = await addon.call<RpcResult<EstimateResult>>('estimateSelection');
    expect(answer).toMatchObject({ ok: true, value: { selection: { ranges: ['2:5', '7:9', '20:25'], rows: 13, hiddenSkipped: 1, problem: null } } });
    if (answer.ok) expect(answer.value.estimate).toMatchObject({ rows: 13, toRun: 13, simulated: true });
  });

  it('persists settings per tab in document properties, validated against the header row', async () => {
    const addon = await addonOn(sheet(3));
    const bad = await addon.call<RpcResult<unknown>>('saveSettings', { ...SETTINGS, inputs: ['Brand', 'Nope'], workers: 99 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.fields?.map((f) => f.field)).toEqual(['inputs', 'workers']);
    expect(await addon.call('saveSettings', SETTINGS)).toMatchObject({ ok: true });
    expect(JSON.parse(addon.properties.document.get('rowfill.settings.0') ?? '{}')).toMatchObject({ inputs: ['Brand', 'Country'], workers: 8 });
    const state = await addon.call<{ saved: boolean; header: { name: string }[]; latestJob: unknown }>('getSidebarState');
    expect(state).toMatchObject({ saved: true, latestJob: null });
    expect(state.header.map((h) => h.name)).toEqual(['Brand', 'Country', 'Notes']);
  });

  it('starts a job for rows 2–21 with a proof in the sheet, follows it to completed, and finds it again on reopen', async () => {
    const workbook = sheet(40);
    const addon = await addonOn(workbook, { selection: ['2:21'] });
    expect(await addon.call('saveSettings', SETTINGS)).toMatchObject({ ok: true });
    const started = await addon.call<RpcResult<{ job: JobView }>>('startEnrichment');
    if (!started.ok) throw new Error(started.error.message);
    const post = addon.fetchLog.find((f) => f.method === 'POST' && f.url.endsWith('/v1/jobs'));
    expect(post?.status).toBe(202);
    const body = JSON.parse(post?.requestBody ?? '{}') as { proofNonce: string; ranges: string[]; sheetId: number };
    expect(body.proofNonce).toMatch(/^[0-9a-f]{64}$/);
    expect(body).toMatchObject({ ranges: ['2:21'], sheetId: 0, spreadsheetId: workbook.id });
    // The backend checked the proof and deleted it: none is left behind.
    expect(workbook.metadata.list().filter((m) => m.key === 'rowfill.proof')).toEqual([]);

    const job = await settle(addon, started.value.job.id, (j) => j.status === 'completed');
    expect(job).toMatchObject({ simulated: true, counts: { total: 20, done: 20, failed: 0 } });
    const status = column(workbook, 'rowfill_status');
    const rows = workbook.values('A2:Z41');
    rows.forEach((row, i) => expect(row[status] ?? '').toBe(i + 2 <= 21 ? 'done' : ''));
    expect(rows[0]?.[column(workbook, 'Positioning')]).toMatch(/^(budget|premium)$/);

    const reopened = await addon.call<{ latestJob: JobView | null }>('getSidebarState');
    expect(reopened.latestJob?.id).toBe(job.id);
  });

  it('refuses a second start while a job runs, with the "already running" alert, then cancels it', async () => {
    const workbook = sheet(40);
    const addon = await addonOn(workbook, { selection: ['2:41'] });
    await addon.call('saveSettings', { ...SETTINGS, workers: 2 });
    server.runtime.standIn?.configure({ latencyMs: 300, jitterMs: 0 });
    try {
      const started = await addon.call<RpcResult<{ job: JobView }>>('startEnrichment');
      if (!started.ok) throw new Error(started.error.message);
      await addon.call('enrichSelectedRows');
      expect(addon.ui.lastAlert?.prompt).toMatch(/already running on this sheet \(\d+ of 40 rows done/);
      const again = await addon.call<RpcResult<unknown>>('startEnrichment');
      expect(again).toMatchObject({ ok: false, error: { code: 'already_running' } });

      const alertsBefore = addon.ui.alerts.length;
      await addon.call('cancelRunningJob');
      // A routine notice is a toast; alerts are modal and kept for what needs a decision or a fix.
      expect(addon.ui.toasts.at(-1)?.message).toMatch(/^Cancelled\. Nothing more will be spent/);
      expect(addon.ui.alerts).toHaveLength(alertsBefore);
      const cancelled = await settle(addon, started.value.job.id, (j) => j.counts.running === 0);
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.counts.done).toBeLessThan(40);
      await addon.call('cancelRunningJob');
      expect(addon.ui.toasts.at(-1)?.message).toBe('No Rowfill job is running on this sheet.');
    } finally {
      server.runtime.standIn?.configure({ latencyMs: 5, jitterMs: 0 });
    }
  });

  it('asks before spending from the menu, and does nothing when the user cancels', async () => {
    const workbook = sheet(10);
    const addon = await addonOn(workbook, { selection: ['2:11'], answer: (a) => (a.buttons === 'OK_CANCEL' ? 'CANCEL' : undefined) });
    await addon.call('saveSettings', SETTINGS);
    await addon.call('enrichSelectedRows');
    const confirm = addon.ui.alerts.find((a) => a.buttons === 'OK_CANCEL');
    expect(confirm?.prompt).toMatch(/^Enrich 10 rows with gpt-4\.1-mini\?/);
    expect(confirm?.prompt).toMatch(/Estimated cost: Fast \$.* · Cheap \$/);
    expect(addon.fetchLog.map((f) => `${f.method} ${new URL(f.url).pathname}`)).toEqual(['GET /v1/sheets/' + workbook.id + '/latest-job', 'POST /v1/estimate']);
  });

  it('re-runs only the failed rows from the menu until every row is done', async () => {
    const rows = [['Brand', 'Country'], ...Array.from({ length: 12 }, (_, i) => [`Flaky brand ${i}`, 'Peru'])];
    const workbook = server.sheets.createSpreadsheet({ title: 'Flaky', rows, sharedWith: [LOCAL_SERVICE_ACCOUNT] });
    const addon = await addonOn(workbook, { selection: ['2:13'] });
    await addon.call('rerunFailedRows');
    expect(addon.ui.toasts.at(-1)?.message).toBe('No Rowfill job has run on this sheet yet.');
    await addon.call('saveSettings', SETTINGS);
    server.runtime.standIn?.configure({ faults: { contentFilter: 0.4 } });
    let first: JobView;
    try {
      await addon.call('enrichSelectedRows');
      expect(addon.ui.toasts.at(-1)?.message).toMatch(/enriching 12 rows/);
      const state = await addon.call<{ latestJob: JobView }>('getSidebarState');
      first = await settle(addon, state.latestJob.id, (j) => j.status !== 'running' && j.status !== 'preparing' && j.counts.running === 0);
    } finally {
      server.runtime.standIn?.configure({ faults: { contentFilter: 0 } });
    }
    expect(first.counts.failed).toBeGreaterThan(0);
    expect(first.errorsByClass.content_filter).toBe(first.counts.failed);
    const alertsBefore = addon.ui.alerts.length;
    await addon.call('rerunFailedRows');
    expect(addon.ui.toasts.at(-1)).toMatchObject({ title: 'Rowfill', message: `Re-running ${first.counts.failed} failed row${first.counts.failed === 1 ? '' : 's'}.` });
    expect(addon.ui.alerts).toHaveLength(alertsBefore);
    const rerun = await settle(addon, first.id, (j) => j.status === 'completed');
    expect(rerun.counts).toMatchObject({ done: 12, failed: 0 });
    const status = column(workbook, 'rowfill_status');
    expect(workbook.values('A2:Z13').map((r) => r[status])).toEqual(Array(12).fill('done'));
    await addon.call('rerunFailedRows');
    expect(addon.ui.toasts.at(-1)?.message).toMatch(/^The latest job on this sheet has no failed rows/);
  });

  it('starts only the rows the sidebar estimated: a selection changed since is refused, the new one is reported', async () => {
    const workbook = sheet(70);
    const addon = await addonOn(workbook, { selection: ['30:33'] });
    await addon.call('saveSettings', SETTINGS);
    const estimate = await addon.call<RpcResult<EstimateResult>>('estimateSelection');
    if (!estimate.ok) throw new Error(estimate.error.message);
    expect(estimate.value.selection.ranges).toEqual(['30:33']);
    addon.select(['40:60']);
    const poll = await addon.call<{ key: string; selection: unknown }>('getSelection');
    expect(poll.selection).toMatchObject({ ranges: ['40:60'], rows: 21, message: '21 rows selected.' });
    // Polled with the key it already has, the sidebar gets no selection back: nothing changed, nothing re-read.
    expect(await addon.call('getSelection', poll.key)).toEqual({ key: poll.key, selection: null });
    const refused = await addon.call<RpcResult<unknown>>('startEnrichment', { ranges: estimate.value.selection.ranges, overwrite: false });
    expect(refused).toEqual({ ok: false, error: { code: 'selection_changed', message: 'The selection changed since the estimate (now: 21 rows selected). Estimate again, then enrich.' } });
    expect(addon.fetchLog.filter((f) => f.url.endsWith('/v1/jobs'))).toEqual([]);
    const started = await addon.call<RpcResult<{ job: JobView }>>('startEnrichment', { ranges: ['40:60'], overwrite: false });
    expect(started).toMatchObject({ ok: true, value: { job: { counts: { total: 21 } } } });
  });

  it('keeps the tab\'s Budget setting in step with the budget a paused job resumes with', async () => {
    // Rows no other test has asked about, so none is answered from the cache for free.
    const rows = [['Brand', 'Country'], ...Array.from({ length: 30 }, (_, i) => [`Resume brand ${i}`, 'Chile'])];
    const workbook = server.sheets.createSpreadsheet({ title: 'Resume', rows, sharedWith: [LOCAL_SERVICE_ACCOUNT] });
    const addon = await addonOn(workbook, { selection: ['2:31'] });
    await addon.call('saveSettings', { ...SETTINGS, budgetUsd: 0.0005 });
    const started = await addon.call<RpcResult<{ job: JobView }>>('startEnrichment');
    if (!started.ok) throw new Error(started.error.message);
    const paused = await settle(addon, started.value.job.id, (j) => j.status !== 'running' && j.counts.running === 0);
    expect(paused.pauseReason).toBe('budget');
    const resumed = await addon.call<RpcResult<{ job: JobView }>>('resumeJob', paused.id, 0.5);
    expect(resumed).toMatchObject({ ok: true, value: { job: { budgetUsd: 0.5 } } });
    expect(JSON.parse(addon.properties.document.get('rowfill.settings.0') ?? '{}')).toMatchObject({ budgetUsd: 0.5, workers: 8 });
    await settle(addon, paused.id, (j) => j.status === 'completed');
  });

  it('asks before overwriting a filled column: the menu names it, OK sends the consent; the sidebar gets 409 output_overwrite without it', async () => {
    const workbook = sheet(6);
    const addon = await addonOn(workbook, { selection: ['2:4'] });
    const settings = { ...SETTINGS, inputs: ['Brand'], outputs: [{ name: 'Country', instruction: 'The home country', type: 'text', options: [] }] };
    expect(await addon.call('saveSettings', settings)).toMatchObject({ ok: true });
    const estimate = await addon.call<RpcResult<EstimateResult>>('estimateSelection');
    expect(estimate).toMatchObject({ ok: true, value: { estimate: { overwrites: [{ column: 'Country', filledCells: 3 }] } } });
    const refused = await addon.call<RpcResult<unknown>>('startEnrichment', { ranges: ['2:4'], overwrite: false });
    expect(refused).toMatchObject({ ok: false, error: { code: 'output_overwrite' } });

    await addon.call('enrichSelectedRows');
    const confirm = addon.ui.alerts.find((a) => a.buttons === 'OK_CANCEL');
    expect(confirm?.prompt).toContain('Country already has 3 filled cells: OK overwrites them with the answers.');
    const post = addon.fetchLog.find((f) => f.method === 'POST' && f.url.endsWith('/v1/jobs') && f.status === 202);
    expect(JSON.parse(post?.requestBody ?? '{}')).toMatchObject({ overwrite: true });
  });

  it('checks that the backend can open the sheet, naming the account to share it with', async () => {
    const shared = await addonOn(sheet(3));
    expect(await shared.call('checkAccess')).toEqual({ ok: true, value: { shared: true, serviceAccount: LOCAL_SERVICE_ACCOUNT, message: `Rowfill can open this spreadsheet (shared with ${LOCAL_SERVICE_ACCOUNT}).` } });
    const lonely = server.sheets.createSpreadsheet({ title: 'Private', rows: brandSheetRows(3) });
    const addon = await addonOn(lonely, { scriptProperties: { ROWFILL_BACKEND_URL: server.url } });
    const answer = await addon.call<RpcResult<{ shared: boolean; serviceAccount: string | null; message: string }>>('checkAccess');
    expect(answer).toMatchObject({ ok: true, value: { shared: false, serviceAccount: LOCAL_SERVICE_ACCOUNT } });
    if (answer.ok) expect(answer.value.message).toContain(`Share it with ${LOCAL_SERVICE_ACCOUNT} as an editor`);
  });
});
