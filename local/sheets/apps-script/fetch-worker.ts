// Synchronous HTTP for a vm on this thread: a worker thread performs each request while this thread waits in Atomics.wait.
import { MessageChannel } from 'node:worker_threads';
import type { FetchReply, FetchRequest } from './host.js';
import { newSignal, SyncCaller } from './sync-call.js';
import { startModuleWorker } from './ts-worker.js';

export interface SyncFetcher {
  fetch(request: FetchRequest): FetchReply;
  close(): Promise<void>;
}

/** Slack over the request's own timeout, so the worker's timeout answer wins over the waiter giving up. */
const GRACE_MS = 15_000;

export function startFetchWorker(): SyncFetcher {
  const { port1, port2 } = new MessageChannel();
  const signal = newSignal();
  const worker = startModuleWorker(new URL('./fetch-worker-entry.ts', import.meta.url), { port: port2, signal }, [port2]);
  // Never keep a process alive just for this worker.
  worker.unref();
  let failure: Error | null = null;
  worker.on('error', (error) => {
    failure = error;
  });
  return {
    fetch(request) {
      if (failure) throw failure;
      const caller = new SyncCaller(
        port1,
        signal,
        request.timeoutMs + GRACE_MS,
        () =>
          `UrlFetchApp: no answer from ${request.url}. If that server runs on the thread that called into the add-on, it cannot answer while this thread waits; run the add-on with startAddonWorker instead.`,
      );
      return caller.call('fetch', [request]) as FetchReply;
    },
    async close() {
      port1.close();
      await worker.terminate();
    },
  };
}
