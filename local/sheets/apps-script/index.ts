// The Apps Script face of the Sheets stand-in: the services the add-on uses, over the same workbook the REST face serves.
export { createAppsScriptContext, type AppsScriptContext } from './context.js';
export { startAddonWorker, type AddonWorker, type AddonWorkerOptions } from './addon-worker.js';
export { createLocalHost, DEFAULT_HTML_DIR, type AppsScriptHostOptions, type FetchLogEntry, type LocalHost, type LocalHostHandle } from './local-host.js';
export { appsScriptGlobals } from './globals.js';
export { callAddon, DEFAULT_CODE_PATH, loadAddon, overTheWire } from './load-addon.js';
export { workbookPort } from './workbook-port.js';
export { UiLog, type AlertAnswer, type AlertRecord, type AlertRequest, type ButtonName, type ButtonSetName, type MenuEntry, type MenuRecord, type UiEvent } from './ui-log.js';
export type { AppsScriptHost, CellData, FetchReply, FetchRequest, MetadataInfo, PropertyScope, PropertyStore, SheetPort } from './host.js';
