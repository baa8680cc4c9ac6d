// Starts a worker thread on a module of this folder, TypeScript included: Node 20 workers do not inherit tsx's loader, so they import through tsx's API.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';

const BOOT = `
const { workerData } = require('node:worker_threads');
const { entry, tsx } = workerData.__boot;
const load = tsx ? import(tsx).then((api) => api.tsImport(entry, entry)) : import(entry);
load.catch((error) => { setImmediate(() => { throw error; }); });
`;

export function startModuleWorker(entry: URL, workerData: Record<string, unknown>, transferList: readonly TransferListItem[] = []): Worker {
  // The ESM build of tsx's API: its CommonJS build resolves its own hooks wrongly inside a worker.
  const tsx = entry.pathname.endsWith('.ts') ? pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href : null;
  return new Worker(BOOT, { eval: true, workerData: { ...workerData, __boot: { entry: entry.href, tsx } }, transferList: [...transferList] });
}
