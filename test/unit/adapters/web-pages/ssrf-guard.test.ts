// The page fetcher refuses private, loopback, link-local and metadata targets before any connection: by literal, by a
// name that resolves to one (injected resolver, no DNS), and behind a redirect from an allowed loopback server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedAddress, Resolver } from '../../../../backend/src/adapters/web-pages/dns-resolver.js';
import { nodeTransport, type Transport, type TransportRequest } from '../../../../backend/src/adapters/web-pages/transport.js';
import { WebPages, type WebPagesOptions } from '../../../../backend/src/adapters/web-pages/web-pages.js';
import { PageRefusedError } from '../../../../backend/src/kernel/errors.js';

/** A resolver from a fixed table; names not in it do not exist. Records every name asked. */
function tableResolver(table: Record<string, readonly ResolvedAddress[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (hostname: string): Promise<readonly ResolvedAddress[]> => {
    asked.push(hostname);
    const answer = table[hostname];
    if (answer) return Promise.resolve(answer);
    return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
  };
  return Object.assign(resolve, { asked });
}

/** A transport that opens nothing: it records what it was asked to connect to and answers a tiny page. */
function spyTransport(): Transport & { calls: TransportRequest[] } {
  const calls: TransportRequest[] = [];
  const transport: Transport = (request) => {
    calls.push(request);
    const html = '<!doctype html><title>ok</title><p>hello from a public page</p>';
    return Promise.resolve({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: [Buffer.from(html)],
      close: () => undefined,
    });
  };
  return Object.assign(transport, { calls });
}

const signal = (): AbortSignal => new AbortController().signal;
const v4 = (address: string): ResolvedAddress[] => [{ address, family: 4 }];
const v6 = (address: string): ResolvedAddress[] => [{ address, family: 6 }];

describe('the SSRF guard, with no connection made', () => {
  const resolver = tableResolver({
    'intranet.example.com': v4('10.0.0.1'),
    'metadata.example.com': v4('169.254.169.254'),
    'mapped.example.com': v6('::ffff:127.0.0.1'),
    'aws6.example.com': v6('fd00:ec2::254'),
    'cgnat.example.com': v4('100.64.3.3'),
    'split.example.com': [
      { address: '93.184.216.34', family: 4 },
      { address: '192.168.0.10', family: 4 },
    ],
    'public.example.com': v4('93.184.216.34'),
  });
  const pages = (extra: WebPagesOptions = {}): { fetcher: WebPages; transport: ReturnType<typeof spyTransport> } => {
    const transport = spyTransport();
    return { fetcher: new WebPages({ resolve: resolver, transport, ...extra }), transport };
  };

  it.each([
    ['http://intranet.example.com/', '10.0.0.1'],
    ['http://metadata.example.com/latest/meta-data/', '169.254.169.254'],
    ['http://mapped.example.com/', '::ffff:127.0.0.1'],
    ['https://aws6.example.com/', 'fd00:ec2::254'],
    ['http://cgnat.example.com/', '100.64.3.3'],
  ])('refuses %s, a name that resolves to %s, without connecting', async (url, address) => {
    const { fetcher, transport } = pages();
    const error = await fetcher.open({ url, signal: signal() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PageRefusedError);
    expect((error as PageRefusedError).errorClass).toBe('page_refused');
    expect((error as Error).message).toContain(address);
    expect(transport.calls).toHaveLength(0);
  });

  it('refuses a name with one public and one private address (checks every answer, not the first)', async () => {
    const { fetcher, transport } = pages();
    await expect(fetcher.open({ url: 'http://split.example.com/', signal: signal() })).rejects.toThrow(/192\.168\.0\.10/);
    expect(transport.calls).toHaveLength(0);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://127.0.0.1:8080/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://10.1.2.3/',
    'http://[fe80::1]/',
    'http://0.0.0.0/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://localhost/',
  ])('refuses the literal target %s without resolving or connecting', async (url) => {
    const { fetcher, transport } = pages();
    const before = resolver.asked.length;
    await expect(fetcher.open({ url, signal: signal() })).rejects.toBeInstanceOf(PageRefusedError);
    expect(transport.calls).toHaveLength(0);
    expect(resolver.asked.length).toBe(before);
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/file', 'gopher://example.com/', 'javascript:alert(1)', 'not a url', 'http://user:pass@public.example.com/'])(
    'refuses %s (only plain http and https)',
    async (url) => {
      const { fetcher, transport } = pages();
      await expect(fetcher.open({ url, signal: signal() })).rejects.toBeInstanceOf(PageRefusedError);
      expect(transport.calls).toHaveLength(0);
    },
  );

  it('allowLoopback lets 127.0.0.1 through but still refuses a name that resolves to ::ffff:127.0.0.1 or to metadata', async () => {
    const { fetcher, transport } = pages({ allowLoopback: true });
    await expect(fetcher.open({ url: 'http://mapped.example.com/', signal: signal() })).rejects.toBeInstanceOf(PageRefusedError);
    await expect(fetcher.open({ url: 'http://metadata.example.com/', signal: signal() })).rejects.toBeInstanceOf(PageRefusedError);
    await expect(fetcher.open({ url: 'http://169.254.169.254/', signal: signal() })).rejects.toBeInstanceOf(PageRefusedError);
    expect(transport.calls).toHaveLength(0);
    await expect(fetcher.open({ url: 'http://127.0.0.1:9/', signal: signal() })).resolves.toMatchObject({ text: 'hello from a public page' });
    expect(transport.calls).toHaveLength(1);
  });

  it('connects to the address it checked (DNS pinned): the transport is handed that address with the original host name', async () => {
    const { fetcher, transport } = pages();
    const page = await fetcher.open({ url: 'http://public.example.com/about', signal: signal() });
    expect(page.text).toBe('hello from a public page');
    expect(transport.calls).toHaveLength(1);
    expect(transport.calls[0]).toMatchObject({ address: '93.184.216.34', family: 4 });
    expect(transport.calls[0]!.url.hostname).toBe('public.example.com');
    // Resolved once for the one hop: a second answer could not swap the address between check and connect.
    expect(resolver.asked.filter((name) => name === 'public.example.com')).toHaveLength(1);
  });
});

describe('the SSRF guard behind a redirect (loopback server allow-listed)', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      const to: Record<string, string> = {
        '/to-metadata': 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
        '/to-private-name': 'http://intranet.example.com/admin',
        '/to-mapped': 'http://[::ffff:127.0.0.1]/',
        '/to-file': 'file:///etc/passwd',
        '/to-google-metadata': 'http://metadata.google.internal/computeMetadata/v1/',
      };
      const target = to[req.url ?? ''];
      if (target) {
        res.writeHead(302, { location: target });
        res.end();
        return;
      }
      const loop = /^\/loop\/(\d+)$/.exec(req.url ?? '');
      if (loop && Number(loop[1]) < 8) {
        res.writeHead(301, { location: `/loop/${Number(loop[1]) + 1}` });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('landed');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function recordingPages(): { fetcher: WebPages; hops: TransportRequest[] } {
    const real = nodeTransport({ maxSocketsPerHost: 2 });
    const hops: TransportRequest[] = [];
    const transport: Transport = (request) => {
      hops.push(request);
      return real(request);
    };
    const resolve = tableResolver({ 'intranet.example.com': v4('10.0.0.1') });
    return { fetcher: new WebPages({ allowLoopback: true, resolve, transport }), hops };
  }

  it.each(['/to-metadata', '/to-private-name', '/to-mapped', '/to-file', '/to-google-metadata'])(
    'a redirect from %s is refused: only the loopback hop was connected',
    async (path) => {
      const { fetcher, hops } = recordingPages();
      const error = await fetcher.open({ url: `${base}${path}`, signal: signal() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PageRefusedError);
      expect(hops.map((h) => h.address)).toEqual(['127.0.0.1']);
    },
  );

  it('follows at most 5 redirects, each re-checked, then refuses', async () => {
    const { fetcher, hops } = recordingPages();
    await expect(fetcher.open({ url: `${base}/loop/0`, signal: signal() })).rejects.toThrow(/more than 5 redirects/);
    expect(hops).toHaveLength(6);
  });

  it('a redirect that stays public-or-allowed is followed', async () => {
    const { fetcher } = recordingPages();
    const page = await fetcher.open({ url: `${base}/loop/3`, signal: signal() });
    expect(page).toMatchObject({ url: `${base}/loop/8`, text: 'landed', contentType: 'text/plain' });
  });
});
