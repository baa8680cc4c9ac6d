// startAddonWorker: the compiled add-on in a vm on a worker thread, so this thread — workbook, Sheets stand-in, backend — stays free to answer it.
import { MessageChannel } from 'node:worker_threads';
import type { PropertyScope, PropertyStore } from './host.js';
import { createLocalHost, type AppsScriptHostOptions, type FetchLogEntry } from './local-host.js';
import { DEFAULT_CODE_PATH, overTheWire } from './load-addon.js';
import { hostHandlers } from './remote-host.js';
import { newSignal, serveSyncCalls } from './sync-call.js';
import { startModuleWorker } from './ts-worker.js';
import type { UiLog } from './ui-log.js';

export interface AddonWorkerOptions extends AppsScriptHostOptions {
  /** Compiled add-on. Default dist/addon/Code.js. */
  readonly codePath?: string;
  /** How long one blocking host call may take before the add-on gives up. Default 90 s (a fetch may take 60). */
  readonly hostTimeoutMs?: number;
}

export interface AddonWorker {
  readonly ui: UiLog;
  readonly fetchLog: readonly FetchLogEntry[];
  readonly properties: Readonly<Record<PropertyScope, PropertyStore>>;
  readonly select: (ranges: readonly string[], sheetId?: number) => void;
  /** Calls a top-level function (trigger, menu item, sidebar RPC), arguments and result passed as JSON. */
  call<T = unknown>(name: string, ...args: unknown[]): Promise<T>;
  close(): Promise<void>;
}

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'loadError'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly message: string; readonly stack?: string };

export async function startAddonWorker(options: AddonWorkerOptions): Promise<AddonWorker> {
  const local = createLocalHost(options);
  const { port1, port2 } = new MessageChannel();
  const signal = newSignal();
  serveSyncCalls(port1, signal, hostHandlers(local.host));
  const worker = startModuleWorker(
    new URL('./addon-worker-entry.ts', import.meta.url),
    { port: port2, signal, codePath: options.codePath ?? DEFAULT_CODE_PATH, hostTimeoutMs: options.hostTimeoutMs ?? 90_000 },
    [port2],
  );
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | null = null;
  const failAll = (error: Error) => {
    dead = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') resolve();
      else if (reply.type === 'loadError') reject(new Error(`The add-on failed to load: ${reply.message}`));
      else {
        const p = pending.get(reply.id);
        pending.delete(reply.id);
        if (!p) return;
        if (reply.ok) p.resolve(reply.value);
        else p.reject(Object.assign(new Error(reply.message), reply.stack ? { stack: reply.stack } : {}));
      }
    });
    worker.on('error', (error) => {
      reject(error);
      failAll(error);
    });
    worker.on('exit', (code) => failAll(new Error(`The add-on worker exited (code ${code}).`)));
  });
  try {
    await ready;
  } catch (error) {
    port1.close();
    await worker.terminate();
    throw error;
  }
  return {
    ui: local.ui,
    fetchLog: local.fetchLog,
    properties: local.properties,
    select: local.select,
    call: <T>(name: string, ...args: unknown[]) =>
      new Promise<T>((resolve, reject) => {
        if (dead) return reject(dead);
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ id, name, args: overTheWire(args) });
      }),
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
      port1.close();
    },
  };
}
