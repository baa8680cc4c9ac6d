// The bundle's entry: everything Apps Script may call, on the `Rowfill` global that the top-level stubs forward to.
import { cancelRunningJob, enrichSelectedRows, openSidebar, rerunFailedRows } from './menu-actions.js';
import type { PublicFunction } from './public-functions.js';
import { sidebarApi } from './sidebar-rpc.js';
import { onInstall, onOpen } from './triggers.js';

/** Fails to compile when a name in PUBLIC_FUNCTIONS has no function here (the build emits a stub for each). */
export const publicFunctions: Record<PublicFunction, (...args: never[]) => unknown> = {
  onOpen,
  onInstall,
  enrichSelectedRows,
  rerunFailedRows,
  cancelRunningJob,
  openSidebar,
  ...sidebarApi,
};
