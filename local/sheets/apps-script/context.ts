// createAppsScriptContext: a vm context whose globals are the Apps Script services over a workbook, for running Code.js on this thread.
import vm from 'node:vm';
import type { AppsScriptHost, PropertyScope, PropertyStore } from './host.js';
import { createLocalHost, type AppsScriptHostOptions, type FetchLogEntry } from './local-host.js';
import { startFetchWorker } from './fetch-worker.js';
import { appsScriptGlobals } from './globals.js';
import { callAddon, loadAddon } from './load-addon.js';
import type { UiLog } from './ui-log.js';

export interface AppsScriptContext {
  /** The vm context: SpreadsheetApp, PropertiesService, UrlFetchApp, HtmlService, ScriptApp, Session, Utilities, Logger, console. */
  readonly context: vm.Context;
  readonly ui: UiLog;
  readonly fetchLog: readonly FetchLogEntry[];
  readonly properties: Readonly<Record<PropertyScope, PropertyStore>>;
  readonly select: (ranges: readonly string[], sheetId?: number) => void;
  /** Runs compiled add-on code in the context (default dist/addon/Code.js). */
  load(codePath?: string): void;
  /** Calls a top-level function of the loaded code, arguments and result passed as JSON (google.script.run's rules). */
  call(name: string, ...args: unknown[]): unknown;
  /** Stops the fetch worker. */
  close(): Promise<void>;
}

/**
 * UrlFetchApp.fetch blocks this thread (Atomics.wait) while a worker thread makes the request, so the server it calls
 * must not run on this thread. When it does (the local backend in a test or the playground), use startAddonWorker.
 */
export function createAppsScriptContext(options: AppsScriptHostOptions): AppsScriptContext {
  const local = createLocalHost(options);
  const fetcher = startFetchWorker();
  const host: AppsScriptHost = {
    ...local.host,
    fetch: (request) => {
      const startedAt = Date.now();
      return local.logFetch(request, fetcher.fetch(request), startedAt);
    },
  };
  const context = vm.createContext(appsScriptGlobals(host), { name: 'Apps Script' });
  return {
    context,
    ui: local.ui,
    fetchLog: local.fetchLog,
    properties: local.properties,
    select: local.select,
    load: (codePath) => loadAddon(context, codePath),
    call: (name, ...args) => callAddon(context, name, args),
    close: () => fetcher.close(),
  };
}
