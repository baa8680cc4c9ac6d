// The add-on worker's side: the vm with Code.js, its services over a remote host, running one call at a time.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import vm from 'node:vm';
import type { WorkerReply } from './addon-worker.js';
import { appsScriptGlobals } from './globals.js';
import { callAddon, loadAddon } from './load-addon.js';
import { remoteHost } from './remote-host.js';
import { SyncCaller } from './sync-call.js';

const { port, signal, codePath, hostTimeoutMs } = workerData as { port: MessagePort; signal: SharedArrayBuffer; codePath: string; hostTimeoutMs: number };
const caller = new SyncCaller(port, signal, hostTimeoutMs);
const context = vm.createContext(appsScriptGlobals(remoteHost((op, args) => caller.call(op, args))), { name: 'Apps Script' });
const send = (reply: WorkerReply) => parentPort?.postMessage(reply);

try {
  loadAddon(context, codePath);
  // Calls arrive one by one and each runs to completion, as separate Apps Script executions would, minus the overlap.
  parentPort?.on('message', ({ id, name, args }: { id: number; name: string; args: unknown[] }) => {
    try {
      send({ type: 'result', id, ok: true, value: callAddon(context, name, args) });
    } catch (error) {
      send({ type: 'result', id, ok: false, message: error instanceof Error ? error.message : String(error), ...(error instanceof Error && error.stack ? { stack: error.stack } : {}) });
    }
  });
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'loadError', message: error instanceof Error ? error.message : String(error) });
}
