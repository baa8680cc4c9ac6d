// HTTPS through the pinned lookup: the certificate is checked against the URL's host name, not the pinned address.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeTransport } from '../../../../backend/src/adapters/web-pages/transport.js';
import { WebPages } from '../../../../backend/src/adapters/web-pages/web-pages.js';
import { PageTlsError } from '../../../../backend/src/kernel/errors.js';

// A self-signed certificate for secure.rowfill.test only (fixtures/, valid until 2126).
const cert = readFileSync(new URL('./fixtures/tls-cert.pem', import.meta.url), 'utf8');
const key = readFileSync(new URL('./fixtures/tls-key.pem', import.meta.url), 'utf8');

let server: Server;
let port: number;
const loopback = (): Promise<readonly { address: string; family: 4 }[]> => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
const signal = (): AbortSignal => new AbortController().signal;

beforeAll(async () => {
  server = createServer({ cert, key }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('secure hello');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('HTTPS pages', () => {
  it('opens a page whose certificate names the host, connecting to the pinned address', async () => {
    const pages = new WebPages({ allowLoopback: true, resolve: loopback, transport: nodeTransport({ maxSocketsPerHost: 2, ca: cert }) });
    await expect(pages.open({ url: `https://secure.rowfill.test:${port}/`, signal: signal() })).resolves.toMatchObject({ text: 'secure hello' });
  });

  it('a certificate for another name is page_tls, though the address is the same', async () => {
    const pages = new WebPages({ allowLoopback: true, resolve: loopback, transport: nodeTransport({ maxSocketsPerHost: 2, ca: cert }), maxAttempts: 3 });
    const error = await pages.open({ url: `https://other.rowfill.test:${port}/`, signal: signal() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PageTlsError);
    expect((error as PageTlsError).retryable).toBe(false);
  });

  it('an untrusted (self-signed) certificate is page_tls', async () => {
    const pages = new WebPages({ allowLoopback: true, resolve: loopback });
    await expect(pages.open({ url: `https://secure.rowfill.test:${port}/`, signal: signal() })).rejects.toBeInstanceOf(PageTlsError);
  });
});
