// Blocking calls across threads: the caller posts a request and sleeps in Atomics.wait until the host thread answers.
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

export interface SyncRequest {
  readonly op: string;
  readonly args: readonly unknown[];
}

type SyncReply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

export type SyncHandlers = Readonly<Record<string, (...args: never[]) => unknown>>;

/** The signal both sides share: one Int32, 0 while a call is pending, 1 once its reply is on the port. */
export function newSignal(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

export class SyncCaller {
  private readonly signal: Int32Array;

  constructor(
    private readonly port: MessagePort,
    signal: SharedArrayBuffer,
    private readonly timeoutMs: number,
    private readonly describeTimeout: (op: string) => string = (op) => `${op} got no answer within ${timeoutMs} ms`,
  ) {
    this.signal = new Int32Array(signal);
  }

  /** Blocks this thread until the host answers; the host must live on another thread, whose event loop stays free. */
  call(op: string, args: readonly unknown[]): unknown {
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage({ op, args } satisfies SyncRequest);
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(this.describeTimeout(op));
      Atomics.wait(this.signal, 0, 0, left);
      const received = receiveMessageOnPort(this.port);
      if (!received) continue;
      const reply = received.message as SyncReply;
      if (reply.ok) return reply.value;
      throw new Error(reply.message);
    }
  }
}

/** Answers SyncCaller requests on `port`; handlers may be async, since this thread is not the one waiting. */
export function serveSyncCalls(port: MessagePort, signal: SharedArrayBuffer, handlers: SyncHandlers): void {
  const flag = new Int32Array(signal);
  port.on('message', (request: SyncRequest) => {
    void (async () => {
      let reply: SyncReply;
      try {
        const handler = handlers[request.op];
        if (!handler) throw new Error(`No host operation ${request.op}`);
        reply = { ok: true, value: await (handler as (...args: readonly unknown[]) => unknown)(...request.args) };
      } catch (error) {
        reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
      // The reply is queued before the waiter wakes, so receiveMessageOnPort finds it.
      port.postMessage(reply);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    })();
  });
}
