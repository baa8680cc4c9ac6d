// The bundle's entry: everything Apps Script may call, exported onto the `Rowfill` global that the top-level stubs forward to.
import { cancelRunningJob, enrichSelectedRows, openSidebar, rerunFailedRows } from './menu-actions.js';
import type { PublicFunction } from './public-functions.js';
import { cancelJob, checkAccess, estimateSelection, getProgress, getSidebarState, resumeJob, retryFailed, saveSettings, startEnrichment } from './sidebar-rpc.js';
import { onInstall, onOpen } from './triggers.js';

export {
  onOpen,
  onInstall,
  enrichSelectedRows,
  rerunFailedRows,
  cancelRunningJob,
  openSidebar,
  getSidebarState,
  saveSettings,
  estimateSelection,
  startEnrichment,
  getProgress,
  resumeJob,
  retryFailed,
  cancelJob,
  checkAccess,
};

/** Fails to compile when a name in PUBLIC_FUNCTIONS has no function here (the build emits a stub for each). */
export const publicFunctions: Record<PublicFunction, (...args: never[]) => unknown> = {
  onOpen,
  onInstall,
  enrichSelectedRows,
  rerunFailedRows,
  cancelRunningJob,
  openSidebar,
  getSidebarState,
  saveSettings,
  estimateSelection,
  startEnrichment,
  getProgress,
  resumeJob,
  retryFailed,
  cancelJob,
  checkAccess,
};
