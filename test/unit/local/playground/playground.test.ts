// The playground over HTTP, no browser: the page, the sheet JSON, the sidebar's RPC shim, selection → Enrich → done.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SERVICE_ACCOUNT } from '../../../../backend/src/cli/dev-wiring-sheets.js';
import { startLocalServer } from '../../../../backend/src/cli/local-server.js';
import { loadServerConfig } from '../../../../backend/src/config.js';
import { silentLogger } from '../../../../backend/src/ports/logger.js';
import { startPlayground, type Playground } from '../../../../local/playground/index.js';

interface SheetJson {
  readonly rows: string[][];
  readonly selection: string[];
  readonly simulatedModel: boolean;
  readonly events: { kind: string; title: string | null; message: string }[];
  readonly sidebarOpens: number;
  readonly typedCells: Record<string, number[]>;
}

let dir: string;
let playground: Playground;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rowfill-playground-'));
  playground = await startPlayground({
    stateDir: dir,
    port: 0,
    serviceAccount: LOCAL_SERVICE_ACCOUNT,
    startBackend: async ({ stateDir }) => {
      const config = loadServerConfig({ ROWFILL_DB: join(stateDir, 'state.db'), ROWFILL_LOG_LEVEL: 'silent' });
      const server = await startLocalServer({ config, log: silentLogger, port: 0 });
      return { ...server, simulatedModel: server.runtime.simulated };
    },
  });
}, 60_000);

afterAll(async () => {
  await playground?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(path: string): Promise<Response> {
  return fetch(new URL(path, playground.url));
}

async function post<T = unknown>(path: string, body: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(new URL(path, playground.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as T };
}

async function sheet(): Promise<SheetJson> {
  return (await (await get('/api/sheet')).json()) as SheetJson;
}

const SETTINGS = {
  inputs: ['Brand', 'Country'],
  outputs: [{ name: 'Category', instruction: 'Main product category', type: 'text', options: [] }],
  model: 'gpt-4.1-mini',
  workers: 4,
  budgetUsd: 0.5,
  headerRow: 1,
};

describe('the playground', () => {
  it('serves the page, its script, and the real sidebar with google.script.run shimmed', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Rowfill playground');
    for (const id of ['menu-enrich', 'menu-rerun', 'menu-cancel', 'menu-sidebar', 'sort-brand', 'insert-row', 'simulated-badge', 'grid', 'alerts']) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('<iframe id="sidebar" src="/sidebar"');
    const app = await get('/app.js');
    expect(app.status).toBe(200);
    expect(await app.text()).toContain('/api/sheet');
    const sidebar = await (await get('/sidebar')).text();
    expect(sidebar).toContain('id="settings-form"');
    expect(sidebar.indexOf('/rpc/')).toBeGreaterThan(-1);
    expect(sidebar.indexOf('/rpc/')).toBeLessThan(sidebar.indexOf('id="settings-form"'));
  });

  it('shows brands.csv in the sheet JSON, with the simulated model flagged', async () => {
    const state = await sheet();
    expect(state.rows[0]).toEqual(['Brand', 'Website', 'Country']);
    expect(state.rows[1]).toEqual(['Patagonia', 'https://www.patagonia.com', 'United States']);
    expect(state.rows.length).toBe(371);
    expect(state.simulatedModel).toBe(true);
    expect(state.selection).toEqual([]);
  });

  it('answers the sidebar RPCs through the compiled add-on', async () => {
    const state = await post<{ ok: boolean; value: { header: { name: string }[]; saved: boolean } }>('/rpc/getSidebarState', []);
    expect(state.status).toBe(200);
    expect(state.json.ok).toBe(true);
    expect(state.json.value.header.map((h) => h.name)).toEqual(['Brand', 'Website', 'Country']);
    expect(state.json.value.saved).toBe(false);
    expect((await post('/rpc/saveSettings', [SETTINGS])).json).toMatchObject({ ok: true, value: { ok: true } });
    expect((await post('/rpc/rm', [])).status).toBe(404);
  });

  it('turns the menu item into alerts, and a selection of rows 2–6 into done statuses', async () => {
    const nothing = await post<{ ok: boolean; message: string }>('/api/menu/enrichSelectedRows', {});
    expect(nothing.json.message).toMatch(/^Select the rows to enrich first/);
    expect((await sheet()).events.at(-1)?.message).toMatch(/^Select the rows to enrich first/);

    expect((await post('/api/select', { ranges: ['2:6'] })).json).toMatchObject({ ok: true, selection: ['2:6'] });
    expect((await post('/api/select', { ranges: ['nope'] })).status).toBe(400);
    expect((await post('/api/menu/enrichSelectedRows', {})).json).toMatchObject({ ok: true });

    let rows: string[][] = [];
    const deadline = Date.now() + 30_000;
    for (;;) {
      rows = (await sheet()).rows;
      const status = rows[0]?.indexOf('rowfill_status') ?? -1;
      if (status >= 0 && rows.slice(1, 6).every((r) => r[status] === 'done')) break;
      if (Date.now() > deadline) throw new Error(`rows 2–6 did not reach done: ${JSON.stringify(rows.slice(0, 7))}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const header = rows[0] ?? [];
    const status = header.indexOf('rowfill_status');
    const category = header.indexOf('Category');
    expect(category).toBeGreaterThan(-1);
    rows.slice(1, 6).forEach((r) => expect(r[category]).not.toBe(''));
    expect(rows[6]?.[status] ?? '').toBe('');
  }, 40_000);

  it('edits the sheet directly: insert a row above the selection, sort by Brand', async () => {
    await post('/api/select', { ranges: ['3:4'] });
    const inserted = await post<{ ok: boolean }>('/api/insert-row', {});
    expect(inserted.json.ok).toBe(true);
    let state = await sheet();
    expect(state.rows[2]?.every((c) => c === '')).toBe(true);
    expect(state.selection).toEqual(['4:5']);
    expect((await post('/api/sort', {})).json).toMatchObject({ ok: true });
    state = await sheet();
    const brands = state.rows.slice(1).map((r) => r[0] ?? '').filter((b) => b !== '');
    expect(brands).toEqual([...brands].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    // The blank row sank to the bottom of the used area.
    expect(state.rows.at(-1)?.[0]).not.toBe('');
  });

  it('opens the sidebar from the menu', async () => {
    const before = (await sheet()).sidebarOpens;
    expect((await post('/api/menu/openSidebar', {})).json).toMatchObject({ ok: true });
    expect((await sheet()).sidebarOpens).toBe(before + 1);
    expect((await post('/api/menu/rm', {})).status).toBe(404);
  });

  it('marks cells holding numbers and booleans, which the page right-aligns as Sheets does', async () => {
    playground.workbook.setValues('A400:C400', [['Typed', 42, true]]);
    const state = await sheet();
    expect(state.rows[399]?.slice(0, 3)).toEqual(['Typed', '42', 'true']);
    expect(state.typedCells['400']).toEqual([1, 2]);
    expect(state.typedCells['2']).toBeUndefined();
  });
});
