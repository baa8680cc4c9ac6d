// A loopback HTTP target for dispatched tasks, playing the Cloud Run service in tests and single-process runs.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TargetRequest {
  readonly method: string;
  /** The path and query, e.g. /tasks/row. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface TargetAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * Answers one request by calling `respond` (which resolves once the answer has been handed to the socket). A handler
 * that rejects without responding gets its connection dropped, as a crashing process would.
 */
export type TargetHandler = (request: TargetRequest, respond: (answer: TargetAnswer) => Promise<void>) => Promise<void> | void;

export interface TaskTargetOptions {
  readonly handle: TargetHandler;
  /** TCP port on 127.0.0.1; default 0 picks a free one. */
  readonly port?: number;
  /** Largest body accepted (bytes); larger gets 413. Default 1 MiB, Cloud Tasks' task size limit. */
  readonly maxBodyBytes?: number;
}

export interface TaskTarget {
  /** http://127.0.0.1:port, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Requests received so far. */
  readonly received: number;
  /** Drops every connection with a request still unanswered, as a crash of the serving process would; keeps listening. */
  crash(): void;
  close(): Promise<void>;
}

export async function startTaskTarget(options: TaskTargetOptions): Promise<TaskTarget> {
  const { handle, port = 0, maxBodyBytes = 1024 * 1024 } = options;
  if (typeof handle !== 'function') throw new Error(`TaskTarget: handle must be a function, got ${typeof handle}`);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`TaskTarget: port must be an integer from 0 to 65535, got ${JSON.stringify(port)}`);
  const open = new Set<ServerResponse>();
  let received = 0;
  const server = createServer((req, res) => {
    received += 1;
    open.add(res);
    res.on('close', () => open.delete(res));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > maxBodyBytes) return void send(res, { status: 413, body: 'request body too large' });
      const request: TargetRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      Promise.resolve()
        .then(() => handle(request, (answer) => send(res, answer)))
        .catch(() => res.socket?.destroy());
    });
  });
  // Longer than the dispatcher's idle sockets live, so a reused connection is never closed under a request.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    get received() {
      return received;
    },
    crash: () => {
      for (const res of open) if (!res.writableEnded) res.socket?.destroy();
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function send(res: ServerResponse, answer: TargetAnswer): Promise<void> {
  return new Promise((resolve) => {
    if (res.writableEnded || res.destroyed) return resolve();
    res.once('finish', () => resolve());
    res.once('close', () => resolve());
    res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
    res.end(answer.body ?? '');
  });
}
