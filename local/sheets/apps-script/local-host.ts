// The host state that lives with the workbook: selection, properties, the UI log, the identity token, HTML files, the fetch log.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Workbook } from '../workbook.js';
import type { ActiveSelection, AppsScriptHost, FetchReply, FetchRequest, PropertyScope, PropertyStore, SheetPort } from './host.js';
import { performFetch } from './http-fetch.js';
import { MemoryPropertyStore } from './property-store.js';
import { defaultAnswer, UiLog, type AlertAnswer } from './ui-log.js';
import { workbookPort } from './workbook-port.js';

export const DEFAULT_HTML_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../dist/addon');

export interface AppsScriptHostOptions {
  /** The spreadsheet the add-on is bound to: the live model the Sheets stand-in serves. */
  readonly workbook: Workbook;
  /** The tab the user is on. Default: the first tab. */
  readonly activeSheetId?: number;
  /** A1 ranges the user has selected on that tab (`2:21`, `A2:C9`, `B5`); empty means no selection. */
  readonly selection?: readonly string[];
  /** Session.getActiveUser().getEmail(). Default user@example.com. */
  readonly user?: string;
  /** What ScriptApp.getIdentityToken() returns; locally, the backend's local token. */
  readonly identityToken?: string | (() => string | null);
  readonly scriptProperties?: Readonly<Record<string, string>>;
  readonly documentProperties?: Readonly<Record<string, string>>;
  readonly userProperties?: Readonly<Record<string, string>>;
  /** Where createHtmlOutputFromFile finds `<name>.html`. Default dist/addon. */
  readonly htmlDir?: string;
  /** How the "user" answers alerts; by default OK (or YES). */
  readonly answer?: AlertAnswer;
  /** Where Logger.log and console go. Default: nowhere. */
  readonly log?: (line: string) => void;
}

export interface FetchLogEntry {
  readonly method: string;
  readonly url: string;
  /** The HTTP status, or null when no answer came back. */
  readonly status: number | null;
  readonly error: string | null;
  readonly requestBody: string | null;
  readonly responseBody: string | null;
  readonly ms: number;
}

/** The host with an asynchronous fetch: what the thread owning the workbook offers. */
export type LocalHost = Omit<AppsScriptHost, 'fetch'> & { fetch(request: FetchRequest): Promise<FetchReply> };

export interface LocalHostHandle {
  readonly host: LocalHost;
  readonly ui: UiLog;
  readonly fetchLog: FetchLogEntry[];
  readonly properties: Readonly<Record<PropertyScope, PropertyStore>>;
  /** Changes what the user has selected (and, with sheetId, which tab is active). */
  readonly select: (ranges: readonly string[], sheetId?: number) => void;
  /** Records a finished request (the synchronous fetch path calls this itself). */
  readonly logFetch: (request: FetchRequest, reply: FetchReply, startedAt: number) => FetchReply;
}

export function createLocalHost(options: AppsScriptHostOptions): LocalHostHandle {
  const sheet: SheetPort = workbookPort(options.workbook);
  const firstTab = options.workbook.tabs[0];
  let selection: ActiveSelection = { sheetId: options.activeSheetId ?? firstTab?.sheetId ?? 0, ranges: [...(options.selection ?? [])] };
  const ui = new UiLog();
  const fetchLog: FetchLogEntry[] = [];
  const properties = {
    document: new MemoryPropertyStore(options.documentProperties),
    script: new MemoryPropertyStore(options.scriptProperties),
    user: new MemoryPropertyStore(options.userProperties),
  };
  const htmlDir = options.htmlDir ?? DEFAULT_HTML_DIR;
  const token = options.identityToken;
  const logFetch = (request: FetchRequest, reply: FetchReply, startedAt: number): FetchReply => {
    fetchLog.push({
      method: request.method,
      url: request.url,
      status: reply.ok ? reply.status : null,
      error: reply.ok ? null : reply.message,
      requestBody: request.body,
      responseBody: reply.ok ? reply.body : null,
      ms: Date.now() - startedAt,
    });
    return reply;
  };
  const host: LocalHost = {
    sheet,
    properties,
    ui: {
      menu: (menu) => ui.events.push({ kind: 'menu', ...menu }),
      alert: (alert) => {
        const response = options.answer?.(alert) ?? defaultAnswer(alert.buttons);
        ui.events.push({ kind: 'alert', ...alert, response });
        return response;
      },
      sidebar: (sidebar) => ui.events.push({ kind: 'sidebar', ...sidebar }),
      toast: (toast) => ui.events.push({ kind: 'toast', ...toast }),
    },
    fetch: async (request) => {
      const startedAt = Date.now();
      return logFetch(request, await performFetch(request), startedAt);
    },
    identityToken: () => (typeof token === 'function' ? token() : (token ?? null)),
    activeUser: () => options.user ?? 'user@example.com',
    activeSelection: () => selection,
    htmlFile: (name) => {
      const file = [join(htmlDir, `${name}.html`), join(htmlDir, name)].find((f) => existsSync(f));
      if (!file) throw new Error(`No HTML file named ${name} was found.`);
      return readFileSync(file, 'utf8');
    },
    log: (line) => options.log?.(line),
  };
  return {
    host,
    ui,
    fetchLog,
    properties,
    select: (ranges, sheetId) => {
      selection = { sheetId: sheetId ?? selection.sheetId, ranges: [...ranges] };
    },
    logFetch,
  };
}
