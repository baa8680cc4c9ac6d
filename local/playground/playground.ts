// The playground: the local backend, brands.csv in the Sheets stand-in, the compiled add-on in a vm, and a page to drive them.
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { MENU_HANDLERS, PUBLIC_FUNCTIONS } from '../../addon/src/public-functions.js';
import { buildAddon } from '../../scripts/build-addon.js';
import { startAddonWorker, type AddonWorker } from '../sheets/apps-script/index.js';
import type { SpreadsheetSpec, Workbook } from '../sheets/index.js';
import { pageHtml, shimSidebar } from './page.js';
import { openOrCreate, readCsvRows, sheetView } from './sheet-view.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLIENT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'client');
export const PLAYGROUND_SPREADSHEET_ID = 'playground-brands';

/** What the playground needs of the local backend (backend/src/cli/local-server.ts's LocalServer fits). */
export interface PlaygroundBackend {
  readonly url: string;
  /** The local token: the add-on's identity token. */
  readonly token: string;
  readonly sheets: {
    createSpreadsheet(spec: SpreadsheetSpec): Workbook;
    workbook(spreadsheetId: string): Workbook;
  };
  /** True when the OpenAI stand-in answers instead of OpenAI: the page shows a "simulated model" badge. */
  readonly simulatedModel?: boolean;
  /** True when the local search stand-in and its pages answer research rows instead of Tavily and the web. */
  readonly simulatedSearch?: boolean;
  close(): Promise<void>;
}

export interface PlaygroundOptions {
  /** Starts the local backend with its state in stateDir; injected, since local/ may not import backend runtime code. */
  readonly startBackend: (options: { readonly stateDir: string }) => Promise<PlaygroundBackend>;
  /** The account the backend reads sheets as (LOCAL_SERVICE_ACCOUNT); the playground sheet is shared with it. */
  readonly serviceAccount: string;
  /** Where the backend, the Sheets stand-in and the built add-on keep their files. */
  readonly stateDir: string;
  /** The page's port on 127.0.0.1; 0 picks a free one. Default 0. */
  readonly port?: number;
  /** The CSV loaded into the sheet the first time. Default examples/brands.csv. */
  readonly csvPath?: string;
  /** The signed-in user the add-on sees. Default playground@example.com. */
  readonly user?: string;
}

export interface Playground {
  readonly url: string;
  readonly backend: PlaygroundBackend;
  readonly workbook: Workbook;
  readonly addon: AddonWorker;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function bundleClient(entry: string): Promise<string> {
  const result = await build({ entryPoints: [join(CLIENT_DIR, entry)], bundle: true, write: false, format: 'iife', target: 'es2020', platform: 'browser', logLevel: 'silent', charset: 'utf8' });
  const [file] = result.outputFiles;
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1_000_000) throw new HttpError(413, 'The request body is too large.');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'The request body is not JSON.');
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown): void => send(res, status, 'application/json', JSON.stringify(value));

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const A1_ROWS = /^(?:[A-Z]{0,3}\d+(?::[A-Z]{0,3}\d+)?|[A-Z]{1,3}:[A-Z]{1,3})$/;

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const stateDir = resolve(options.stateDir);
  const built = await buildAddon({ outDir: join(stateDir, 'addon') });
  const [appJs, shimJs, sidebarHtml, rows] = await Promise.all([
    bundleClient('app.mts'),
    bundleClient('rpc-shim.mts'),
    readFile(join(built.outDir, 'Sidebar.html'), 'utf8'),
    readCsvRows(options.csvPath ?? join(REPO_ROOT, 'examples/brands.csv')),
  ]);
  const sidebarPage = shimSidebar(sidebarHtml, shimJs);
  // The add-on's document properties (the sidebar's settings per tab) outlive a restart, as they do in a real sheet.
  const propertiesFile = join(stateDir, 'document-properties.json');
  const documentProperties = await readFile(propertiesFile, 'utf8').then(
    (text) => JSON.parse(text) as Record<string, string>,
    () => ({}),
  );

  const backend = await options.startBackend({ stateDir });
  const cleanups: (() => Promise<void>)[] = [() => backend.close()];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const workbook = openOrCreate(backend.sheets, PLAYGROUND_SPREADSHEET_ID, 'Brands', rows, options.serviceAccount);
    const tab = workbook.tabs[0];
    const sheetId = tab?.sheetId ?? 0;
    const simulated = backend.simulatedModel ?? false;
    const simulatedSearch = backend.simulatedSearch ?? false;
    const addon = await startAddonWorker({
      workbook,
      activeSheetId: sheetId,
      user: options.user ?? 'playground@example.com',
      identityToken: backend.token,
      documentProperties,
      scriptProperties: { ROWFILL_BACKEND_URL: backend.url, ROWFILL_SERVICE_ACCOUNT: options.serviceAccount },
      codePath: join(built.outDir, 'Code.js'),
      htmlDir: built.outDir,
    });
    cleanups.push(() => addon.close());
    let savedProperties = JSON.stringify(documentProperties);
    /** Calls the add-on, then keeps its document properties on disk when they changed. */
    const call = async <T>(name: string, ...args: unknown[]): Promise<T> => {
      try {
        return await addon.call<T>(name, ...args);
      } finally {
        const now = JSON.stringify(addon.properties.document.all());
        if (now !== savedProperties) {
          savedProperties = now;
          await writeFile(propertiesFile, now);
        }
      }
    };
    let selection: string[] = [];
    const select = (ranges: string[]) => {
      selection = ranges;
      addon.select(ranges, sheetId);
    };
    await call('onOpen', { authMode: 'FULL' });

    const sheetState = () => ({
      ...sheetView(workbook),
      selection,
      simulatedModel: simulated,
      simulatedSearch,
      events: addon.ui.events.flatMap((e) =>
        e.kind === 'alert' ? [{ kind: 'alert', title: e.title, message: e.prompt }] : e.kind === 'toast' ? [{ kind: 'toast', title: e.title, message: e.message }] : [],
      ),
      sidebarOpens: addon.ui.sidebars.length,
    });

    const headerColumn = (name: string): number => {
      const header = sheetView(workbook).rows[0] ?? [];
      const column = header.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase());
      if (column < 0) throw new HttpError(409, `The header row has no ${name} column.`);
      return column;
    };

    const routes = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const method = req.method ?? 'GET';
      if (method === 'GET' && (path === '/' || path === '/index.html')) return send(res, 200, 'text/html', pageHtml());
      if (method === 'GET' && path === '/app.js') return send(res, 200, 'text/javascript', appJs);
      if (method === 'GET' && path === '/sidebar') return send(res, 200, 'text/html', sidebarPage);
      if (method === 'GET' && path === '/api/sheet') return sendJson(res, 200, sheetState());
      if (method !== 'POST') throw new HttpError(404, `No ${method} ${path} here.`);
      const body = await readJson(req);
      if (path === '/api/select') {
        const ranges = (body as { ranges?: unknown } | undefined)?.ranges;
        if (!Array.isArray(ranges) || !ranges.every((r): r is string => typeof r === 'string' && A1_ROWS.test(r))) {
          throw new HttpError(400, 'Send {"ranges": ["2:6", …]} with A1 ranges on the first tab.');
        }
        select(ranges);
        return sendJson(res, 200, { ok: true, selection });
      }
      const menu = /^\/api\/menu\/([A-Za-z]+)$/.exec(path)?.[1];
      if (menu !== undefined) {
        if (!(MENU_HANDLERS as readonly string[]).includes(menu)) throw new HttpError(404, `${menu} is not a menu item.`);
        const before = addon.ui.events.length;
        await call(menu);
        const said = addon.ui.events.slice(before).flatMap((e) => (e.kind === 'alert' ? [e.prompt] : e.kind === 'toast' ? [e.message] : []));
        return sendJson(res, 200, { ok: true, message: said.at(-1) ?? 'Done.' });
      }
      if (path === '/api/sort') {
        workbook.sortRange(sheetId, { startRow: 1 }, [{ column: headerColumn('Brand'), descending: false }]);
        return sendJson(res, 200, { ok: true, message: 'Sorted rows 2 and below by Brand, A → Z.' });
      }
      if (path === '/api/insert-row') {
        const top = Number(/^[A-Z]*(\d+)/.exec(selection[0] ?? '')?.[1] ?? 2);
        const at = Math.max(2, top);
        workbook.insertDimension(sheetId, 'ROWS', at - 1, at);
        // As in Sheets, the selection stays on the same cells, now one row lower.
        if (selection.length > 0) select(selection.map((r) => r.replace(/\d+/g, (n) => String(Number(n) >= at ? Number(n) + 1 : Number(n)))));
        return sendJson(res, 200, { ok: true, message: `Inserted an empty row at row ${at}.` });
      }
      const rpc = /^\/rpc\/([A-Za-z_$][\w$]*)$/.exec(path)?.[1];
      if (rpc !== undefined) {
        if (!(PUBLIC_FUNCTIONS as readonly string[]).includes(rpc)) throw new HttpError(404, `The add-on has no public function ${rpc}.`);
        const args = body === undefined ? [] : Array.isArray(body) ? (body as unknown[]) : [body];
        try {
          return sendJson(res, 200, { ok: true, value: await call(rpc, ...args) });
        } catch (error) {
          // What google.script.run's failure handler gets: the add-on threw.
          return sendJson(res, 500, { ok: false, message: errorMessage(error) });
        }
      }
      throw new HttpError(404, `No POST ${path} here.`);
    };

    const server: Server = createServer((req, res) => {
      routes(req, res).catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        if (!res.headersSent) sendJson(res, status, { ok: false, message: errorMessage(error) });
        else res.end();
      });
    });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
    });
    cleanups.push(async () => {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { url: `http://127.0.0.1:${port}`, backend, workbook, addon, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
