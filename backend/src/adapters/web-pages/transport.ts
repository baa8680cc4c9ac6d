// The one place the page fetcher opens connections: node:http(s) with DNS pinned to the address the guard checked.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

export interface TransportRequest {
  readonly url: URL;
  /** The checked IP address to connect to; the URL's host name is still sent (Host header, TLS SNI and certificate). */
  readonly address: string;
  readonly family: 4 | 6;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, already decompressed (gzip, deflate, br), so a size cap counts what the reader would get. */
  readonly body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /** Drops the response without reading the rest. */
  close(): void;
}

/** Sends one GET; rejects with the socket's own error (e.g. ECONNREFUSED, a TLS code) for page-errors.ts to classify. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

export interface NodeTransportOptions {
  /** Connections kept per host by each agent; the fetcher's HostLimiter holds requests to the same bound. */
  readonly maxSocketsPerHost: number;
  /** Certificates trusted instead of the system's (PEM), for a TLS test server; default: the system's. */
  readonly ca?: string | undefined;
}

/** A transport on node:http/https whose `lookup` answers only the pinned address, so no second DNS answer is used. */
export function nodeTransport(options: NodeTransportOptions): Transport {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, maxSockets: options.maxSocketsPerHost, maxFreeSockets: options.maxSocketsPerHost }),
    'https:': new HttpsAgent({
      keepAlive: true,
      maxSockets: options.maxSocketsPerHost,
      maxFreeSockets: options.maxSocketsPerHost,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    }),
  } as const;
  return (request) =>
    new Promise<TransportResponse>((resolve, reject) => {
      const { url, address, family } = request;
      const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
        if (lookupOptions.all) (callback as unknown as (e: null, all: { address: string; family: number }[]) => void)(null, [{ address, family }]);
        else callback(null, address, family);
      };
      const https = url.protocol === 'https:';
      const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      const send = https ? httpsRequest : httpRequest;
      const req = send({
        protocol: url.protocol,
        hostname,
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: request.headers,
        agent: https ? agents['https:'] : agents['http:'],
        lookup: pinned,
        signal: request.signal,
        ...(https ? { servername: hostname } : {}),
      });
      req.once('error', reject);
      req.once('response', (res: IncomingMessage) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        const body = decoded(res, headers['content-encoding']);
        resolve({
          status: res.statusCode ?? 0,
          headers,
          body,
          close: () => {
            res.destroy();
            if (body !== res) (body as NodeJS.ReadableStream & { destroy(): void }).destroy();
          },
        });
      });
      req.end();
    });
}

function decoded(res: IncomingMessage, encoding: string | undefined): AsyncIterable<Uint8Array> & NodeJS.ReadableStream {
  const name = (encoding ?? '').trim().toLowerCase();
  const inflater =
    name === 'gzip' || name === 'x-gzip' ? createGunzip() : name === 'deflate' ? createInflate() : name === 'br' ? createBrotliDecompress() : null;
  if (!inflater) return res;
  res.on('error', (error) => inflater.destroy(error));
  return res.pipe(inflater);
}
