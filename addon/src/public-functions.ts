// The names Apps Script calls — triggers, menu items, sidebar RPCs — each emitted as a top-level function stub in Code.js.

export const TRIGGERS = ['onOpen', 'onInstall'] as const;
export const MENU_HANDLERS = ['enrichSelectedRows', 'rerunFailedRows', 'cancelRunningJob', 'openSidebar'] as const;
export const SIDEBAR_RPCS = [
  'getSidebarState',
  'saveSettings',
  'getSelection',
  'estimateSelection',
  'startEnrichment',
  'getProgress',
  'resumeJob',
  'retryFailed',
  'cancelJob',
  'checkAccess',
] as const;

export const PUBLIC_FUNCTIONS = [...TRIGGERS, ...MENU_HANDLERS, ...SIDEBAR_RPCS] as const;
export type PublicFunction = (typeof PUBLIC_FUNCTIONS)[number];

/** The global the bundle assigns; the stubs forward to it. */
export const BUNDLE_GLOBAL = 'Rowfill';
