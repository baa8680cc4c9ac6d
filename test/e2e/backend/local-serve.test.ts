// The HTTP API end to end in local mode (`rowfill serve`): SQLite, the local queue, the Sheets and OpenAI stand-ins.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SERVICE_ACCOUNT } from '../../../backend/src/cli/dev-wiring-sheets.js';
import { startLocalServer, type LocalServer } from '../../../backend/src/cli/local-server.js';
import { loadServerConfig } from '../../../backend/src/config.js';
import { silentLogger } from '../../../backend/src/ports/logger.js';
import type { JobView } from '../../../backend/src/http/api-types.js';
import { apiClient, brandSheetRows, SHEET_JOB_CONFIG, writeProof } from '../../helpers/backend-client.js';

let dir: string;
let server: LocalServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rowfill-serve-'));
  const config = loadServerConfig({ ROWFILL_DB: join(dir, 'state.db'), ROWFILL_LOG_LEVEL: 'silent' });
  server = await startLocalServer({ config, log: silentLogger, port: 0 });
  server.runtime.standIn?.configure({ latencyMs: 5, jitterMs: 0 });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function settle(api: ReturnType<typeof apiClient>, id: string): Promise<JobView> {
  for (let i = 0; i < 600; i++) {
    const { body } = await api.get<{ job: JobView }>(`/v1/jobs/${id}`);
    if (body.job.status === 'completed' || body.job.status === 'cancelled' || (body.job.status === 'paused' && body.job.counts.running === 0)) return body.job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('job did not settle');
}

describe('rowfill serve', () => {
  it('enriches selected rows of a sheet through the API and writes every result on its own row', async () => {
    const workbook = server.sheets.createSpreadsheet({ title: 'Brands', tabs: [{ title: 'Brands', sheetId: 0 }], rows: brandSheetRows(60), sharedWith: [LOCAL_SERVICE_ACCOUNT] });
    const api = apiClient(server.url, server.token);
    const started = await api.post<{ job: JobView }>('/v1/jobs', {
      spreadsheetId: workbook.id,
      sheetId: 0,
      ranges: ['A2:C31', '40:61'],
      headerRow: 1,
      config: SHEET_JOB_CONFIG,
      proofNonce: writeProof(workbook),
    });
    expect(started.status).toBe(202);
    const job = await settle(api, started.body.job.id);
    expect(job.status).toBe('completed');
    expect(job.counts.done).toBe(52);
    expect(job.simulated).toBe(true);

    const header = workbook.values('A1:Z1')[0] ?? [];
    const col = (name: string) => header.indexOf(name);
    expect(col('Category')).toBeGreaterThan(2);
    expect(col('rowfill_status')).toBeGreaterThan(2);
    const rows = workbook.values('A2:Z61');
    rows.forEach((row, i) => {
      const selected = i + 2 <= 31 || i + 2 >= 40;
      expect(row[col('rowfill_status')] ?? '').toBe(selected ? 'done' : '');
      if (selected) expect(row[col('Category')]).toEqual(expect.stringContaining(`Brand ${i}`));
    });

    const latest = await api.get<{ job: JobView }>(`/v1/sheets/${workbook.id}/latest-job?sheetId=0`);
    expect(latest.body.job.id).toBe(job.id);
  });

  it('runs a research job with no TAVILY_API_KEY against the local search stand-in: simulated, sources in rowfill_sources', async () => {
    expect(server.research.simulated).toBe(true);
    const brands = ['Patagonia', 'Nike', 'Adidas', 'Puma', 'Lego', 'Ikea'];
    const workbook = server.sheets.createSpreadsheet({ title: 'Research', tabs: [{ title: 'Research', sheetId: 0 }], rows: [['Brand'], ...brands.map((b) => [b])], sharedWith: [LOCAL_SERVICE_ACCOUNT] });
    const api = apiClient(server.url, server.token);
    const config = { inputs: ['Brand'], outputs: [{ name: 'Founded', instruction: 'Year the brand was founded', type: 'number' }], model: 'gpt-4.1-mini', workers: 6, budgetUsd: 1, research: { enabled: true, maxSearches: 2, maxPages: 1 } };
    const selection = { spreadsheetId: workbook.id, sheetId: 0, ranges: ['A2:A7'], headerRow: 1, config };
    const estimate = await api.post<{ estimate: { maxSearchesPerRow: number; searchCostHighUsd: number } }>('/v1/estimate', selection);
    expect(estimate.body.estimate).toMatchObject({ maxSearchesPerRow: 2, searchCostHighUsd: expect.closeTo(6 * 2 * 0.008, 6) as number });
    const started = await api.post<{ job: JobView }>('/v1/jobs', { ...selection, proofNonce: writeProof(workbook) });
    expect(started.status).toBe(202);
    const job = await settle(api, started.body.job.id);
    expect(job.status).toBe('completed');
    expect(job.counts.done).toBeGreaterThan(0);
    const table = workbook.values('A1:Z7');
    const header = table[0] ?? [];
    const sources = header.indexOf('rowfill_sources');
    expect(sources).toBe(header.indexOf('rowfill_status') - 1);
    for (const row of table.slice(1).filter((r) => r[header.indexOf('rowfill_status')] === 'done')) {
      const urls = (row[sources] as string).split('\n');
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls) expect(url).toMatch(/^http:\/\/[a-z0-9-]+\.rowfill\.test:\d+\//);
    }
  });

  it('refuses a request without the local token, and a job without a valid proof of edit access', async () => {
    const workbook = server.sheets.createSpreadsheet({ title: 'Other', rows: brandSheetRows(3), sharedWith: [LOCAL_SERVICE_ACCOUNT] });
    const anonymous = await apiClient(server.url, undefined).post('/v1/jobs', {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: { code: 'missing_token' } });
    const api = apiClient(server.url, server.token);
    const noProof = await api.post('/v1/jobs', { spreadsheetId: workbook.id, sheetId: 0, ranges: ['A2:C4'], config: SHEET_JOB_CONFIG, proofNonce: 'x'.repeat(32) });
    expect(noProof.status).toBe(403);
    expect(noProof.body).toMatchObject({ error: { code: 'forbidden' } });
  });
});
