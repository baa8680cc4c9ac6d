// Starts the Sheets v4 stand-in on 127.0.0.1: bearer-token users, sharing, per-user quotas, a request log, and test hooks.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invalidArgument, notFound, permissionDenied, SheetsApiError, unauthenticated } from './api-error.js';
import { handle } from './handlers.js';
import { parseJsonBody, readBody, sendError, sendJson } from './http-io.js';
import { loadState, saveState } from './persistence.js';
import { QuotaTracker } from './quota.js';
import { SheetsRequestLog, type SheetsRequestLogEntry } from './request-log.js';
import { parseRoute, type Route } from './routes.js';
import { applySettings, DEFAULT_SETTINGS, type SheetsStandInSettings, type SheetsStandInSettingsPatch } from './settings.js';
import type { Role, Workbook } from './workbook.js';
import { Workbooks, type SpreadsheetSpec } from './workbooks.js';

export interface SheetsStandInOptions extends SheetsStandInSettingsPatch {
  /** TCP port on 127.0.0.1; default 0 picks a free one (read it from `url`). */
  readonly port?: number;
  /** Clock for quota windows and the log, epoch ms; default Date.now. Tests pass their own to cross a minute at once. */
  readonly now?: () => number;
  /** A file written by `save`, loaded before listening. */
  readonly stateFile?: string;
}

export interface SheetsStandIn {
  /** Root URL ending in `/`, ready for the googleapis client's `rootUrl`. */
  readonly url: string;
  readonly port: number;
  /** Live, read-only view of every request answered, in arrival order. */
  readonly requestLog: readonly SheetsRequestLogEntry[];
  /** The write requests of the log (values and structure): what Google's write quota counts. */
  readonly writeLog: readonly SheetsRequestLogEntry[];
  readonly settings: SheetsStandInSettings;
  /** Creates a spreadsheet; share it (or pass `sharedWith`) before a user's requests can reach it. */
  createSpreadsheet(spec: SpreadsheetSpec): Workbook;
  /** The live model of a spreadsheet, for direct edits mid-test (sort, insert, delete) and for assertions. */
  workbook(spreadsheetId: string): Workbook;
  /** Gives a user (bearer token) access; readers get 403 on writes. Default role: writer. */
  share(spreadsheetId: string, user: string, role?: Role): void;
  configure(patch: SheetsStandInSettingsPatch): SheetsStandInSettings;
  resetLog(): void;
  resetQuota(): void;
  save(path: string): Promise<void>;
  load(path: string): Promise<void>;
  close(): Promise<void>;
}

interface Context {
  readonly workbooks: Workbooks;
  readonly quota: QuotaTracker;
  readonly log: SheetsRequestLog;
  readonly now: () => number;
  settings: SheetsStandInSettings;
  rootUrl: string;
}

export async function startSheetsStandIn(options: SheetsStandInOptions = {}): Promise<SheetsStandIn> {
  const { port = 0, now = Date.now, stateFile, ...patch } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`SheetsStandIn: port must be an integer from 0 to 65535, got ${JSON.stringify(port)}`);
  }
  if (typeof now !== 'function') throw new Error('SheetsStandIn: now must be a function returning epoch ms');
  const ctx: Context = {
    workbooks: new Workbooks(),
    quota: new QuotaTracker(),
    log: new SheetsRequestLog(),
    now,
    settings: applySettings(DEFAULT_SETTINGS, patch),
    rootUrl: '',
  };
  if (stateFile !== undefined) ctx.workbooks.replace(await loadState(stateFile));
  const server = createServer((req, res) => void serve(ctx, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const boundPort = (server.address() as AddressInfo).port;
  ctx.rootUrl = `http://127.0.0.1:${boundPort}/`;
  let closing: Promise<void> | null = null;
  return {
    url: ctx.rootUrl,
    port: boundPort,
    requestLog: ctx.log.entries,
    get writeLog() {
      return ctx.log.writes();
    },
    get settings() {
      return ctx.settings;
    },
    createSpreadsheet: (spec) => ctx.workbooks.create(spec),
    workbook: (id) => {
      const workbook = ctx.workbooks.get(id);
      if (!workbook) throw new Error(`SheetsStandIn: no spreadsheet with id ${id}`);
      return workbook;
    },
    share: (id, user, role = 'writer') => ctx.workbooks.share(id, user, role),
    configure: (settingsPatch) => {
      ctx.settings = applySettings(ctx.settings, settingsPatch);
      return ctx.settings;
    },
    resetLog: () => ctx.log.clear(),
    resetQuota: () => ctx.quota.reset(),
    save: (path) => saveState(path, ctx.workbooks.toState()),
    load: async (path) => ctx.workbooks.replace(await loadState(path)),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function bearerOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

async function serve(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const route = parseRoute(method, url.pathname);
  const user = bearerOf(req);
  const at = ctx.now();
  let status = 200;
  try {
    let text = '';
    try {
      text = await readBody(req);
    } catch {
      throw invalidArgument('Request payload size exceeds the limit.');
    }
    if (!route) throw notFound(`Method not found: ${method} ${url.pathname}`);
    const body = handleRoute(ctx, route, user, url.searchParams, parseJsonBody(text));
    sendJson(res, 200, body ?? {});
  } catch (error) {
    const apiError = error instanceof SheetsApiError ? error : new SheetsApiError(500, 'INTERNAL', 'Internal error encountered.');
    status = apiError.httpStatus;
    sendError(res, apiError);
  } finally {
    ctx.log.append({
      at,
      method,
      path: safeDecode(url.pathname),
      user,
      kind: route?.kind ?? 'read',
      spreadsheetId: route?.spreadsheetId ?? null,
      status,
    });
  }
}

/** Checks in Google's order — credentials, quota, the spreadsheet, the caller's access — then runs the method. */
function handleRoute(ctx: Context, route: Route, user: string | null, query: URLSearchParams, body: Record<string, unknown>): unknown {
  if (user === null) throw unauthenticated();
  const limit = route.kind === 'write' ? ctx.settings.writesPerMinute : ctx.settings.readsPerMinute;
  ctx.quota.admit(user, route.kind, limit, ctx.now());
  const workbook = ctx.workbooks.get(route.spreadsheetId);
  if (!workbook) throw notFound();
  const role = workbook.access.get(user);
  if (role === undefined || (route.kind === 'write' && role !== 'writer')) throw permissionDenied();
  return handle(route.operation, { workbook, rootUrl: ctx.rootUrl, query, body, param: route.param });
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
