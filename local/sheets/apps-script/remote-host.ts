// The host split across threads: the workbook's thread serves every host operation by name, the add-on's thread calls them blocking.
import type { AppsScriptHost, PropertyScope, PropertyStore, SheetPort, UiHost } from './host.js';
import type { LocalHost } from './local-host.js';
import type { SyncHandlers } from './sync-call.js';

const SHEET_OPS = ['spreadsheet', 'extent', 'read', 'write', 'hiddenRows', 'listMetadata', 'addMetadata', 'removeMetadata'] as const satisfies readonly (keyof SheetPort)[];
const PROPERTY_OPS = ['get', 'set', 'remove', 'all', 'replace', 'clear'] as const satisfies readonly (keyof PropertyStore)[];
const UI_OPS = ['menu', 'alert', 'sidebar', 'toast'] as const satisfies readonly (keyof UiHost)[];
const SCOPES = ['document', 'script', 'user'] as const satisfies readonly PropertyScope[];
const HOST_OPS = ['fetch', 'identityToken', 'activeUser', 'activeSelection', 'htmlFile', 'log'] as const satisfies readonly (keyof AppsScriptHost)[];

type Fn = (...args: never[]) => unknown;

function bind<T extends object>(target: T, ops: readonly (keyof T & string)[], prefix: string, into: Record<string, Fn>): void {
  for (const op of ops) into[`${prefix}${op}`] = (target[op] as Fn).bind(target);
}

/** Every operation of a local host by name, for serveSyncCalls. */
export function hostHandlers(host: LocalHost): SyncHandlers {
  const handlers: Record<string, Fn> = {};
  bind(host.sheet, SHEET_OPS, 'sheet.', handlers);
  bind(host.ui, UI_OPS, 'ui.', handlers);
  for (const scope of SCOPES) bind(host.properties[scope], PROPERTY_OPS, `properties.${scope}.`, handlers);
  bind(host, HOST_OPS, '', handlers);
  return handlers;
}

function proxy<T>(ops: readonly string[], prefix: string, call: (op: string, args: readonly unknown[]) => unknown): T {
  return Object.fromEntries(ops.map((op) => [op, (...args: unknown[]) => call(`${prefix}${op}`, args)])) as T;
}

/** A host whose every call blocks until the workbook's thread answers. */
export function remoteHost(call: (op: string, args: readonly unknown[]) => unknown): AppsScriptHost {
  const properties = Object.fromEntries(SCOPES.map((scope) => [scope, proxy<PropertyStore>(PROPERTY_OPS, `properties.${scope}.`, call)])) as Record<PropertyScope, PropertyStore>;
  return {
    ...proxy<Pick<AppsScriptHost, (typeof HOST_OPS)[number]>>(HOST_OPS, '', call),
    sheet: proxy<SheetPort>(SHEET_OPS, 'sheet.', call),
    ui: proxy<UiHost>(UI_OPS, 'ui.', call),
    properties,
  };
}
