// The page fetcher against loopback servers: readable text, caps, content types, status classes, retries, timeouts, politeness.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebPages, type PageAttemptEvent, type WebPagesOptions } from '../../../../backend/src/adapters/web-pages/web-pages.js';
import {
  PageBlockedError,
  PageConnectionError,
  PageNotFoundError,
  PageServerError,
  PageTimeoutError,
  PageTooLargeError,
  PageTypeError,
} from '../../../../backend/src/kernel/errors.js';

const ARTICLE = `<!doctype html><html><head><title>Founding story | Kestrel Outfitters</title><script>var tracking = "SCRIPT-TEXT";</script></head>
<body><header><nav><a href="/">Home</a> <a href="/shop">Shop NAV-LINK</a></nav></header>
<div class="cookie">We use cookies COOKIE-BANNER</div>
<main><article><h1>Our story</h1>
<p>Kestrel Outfitters was founded in 1987 in Bend, Oregon by Mara Quinn, who sewed the first packs in her garage.</p>
<p>Today the company employs about 240 people and sells trail gear in twelve countries across Europe and North America.</p>
<p>Its headquarters moved to Portland in 2004, where it also runs a repair workshop open to the public every weekday.</p>
</article></main>
<footer>© 2026 Kestrel Outfitters FOOTER-TEXT · Privacy · Terms</footer></body></html>`;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
const counts = new Map<string, number>();
let inFlight = 0;
let maxInFlight = 0;
const routes: Record<string, Handler> = {
  '/article': (_req, res) => send(res, 200, 'text/html; charset=utf-8', ARTICLE),
  '/tiny': (_req, res) => send(res, 200, 'text/html', '<p>Only a line of text.</p>'),
  '/plain': (_req, res) => send(res, 200, 'text/plain', 'line one\n\n\n   line   two  '),
  '/latin1': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' });
    res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  },
  '/gzip': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
    res.end(gzipSync(Buffer.from(ARTICLE)));
  },
  '/long': (_req, res) => send(res, 200, 'text/plain', 'word '.repeat(10_000)),
  '/huge': (_req, res) => {
    // No content-length: the cap must hold while streaming. Chunks stop as soon as the client goes.
    res.writeHead(200, { 'content-type': 'text/html' });
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = (): void => {
      while (sent < 8 * 1024 * 1024 && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  },
  '/declared-huge': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * 1024 * 1024) });
    res.write('<p>start</p>');
  },
  '/pdf': (_req, res) => send(res, 200, 'application/pdf', '%PDF-1.7'),
  '/untyped': (_req, res) => {
    res.writeHead(200);
    res.end('<p>no type</p>');
  },
  '/missing': (_req, res) => send(res, 404, 'text/html', '<h1>Not found</h1>'),
  '/gone': (_req, res) => send(res, 410, 'text/html', '<h1>Gone</h1>'),
  '/forbidden': (_req, res) => send(res, 403, 'text/html', '<h1>Forbidden</h1>'),
  '/login': (_req, res) => send(res, 401, 'text/html', '<h1>Log in</h1>'),
  '/challenge': (_req, res) => {
    res.writeHead(403, { 'content-type': 'text/html', 'cf-mitigated': 'challenge' });
    res.end('<title>Just a moment...</title>');
  },
  '/broken': (_req, res) => send(res, 500, 'text/html', '<h1>Oops</h1>'),
  '/flaky': (req, res) => {
    if ((counts.get(req.url ?? '') ?? 0) === 1) return send(res, 503, 'text/html', 'busy');
    send(res, 200, 'text/plain', 'second time lucky');
  },
  '/reset': (req) => req.socket.destroy(),
  '/hang': () => undefined,
  '/queued': (_req, res) => {
    setTimeout(() => send(res, 200, 'text/plain', 'served'), 100);
  },
  '/slow-polite': (_req, res) => {
    setTimeout(() => send(res, 200, 'text/plain', 'done'), 150);
  },
};

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    counts.set(path, (counts.get(path) ?? 0) + 1);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    (routes[path] ?? ((_q, r) => send(r, 404, 'text/plain', 'no route')))(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const signal = (): AbortSignal => new AbortController().signal;
const fetcher = (options: WebPagesOptions = {}): WebPages => new WebPages({ allowLoopback: true, random: () => 0, ...options });
const open = (pages: WebPages, path: string) => pages.open({ url: `${base}${path}`, signal: signal() });
const failure = (pages: WebPages, path: string) => open(pages, path).then(() => null, (e: unknown) => e);

describe('readable text', () => {
  it('keeps the article and drops navigation, cookie banner, footer and scripts', async () => {
    const page = await open(fetcher(), '/article');
    expect(page.title).toBe('Founding story | Kestrel Outfitters');
    expect(page.text).toContain('Kestrel Outfitters was founded in 1987 in Bend, Oregon');
    expect(page.text).toContain('repair workshop');
    for (const noise of ['NAV-LINK', 'COOKIE-BANNER', 'FOOTER-TEXT', 'SCRIPT-TEXT']) expect(page.text).not.toContain(noise);
    // Paragraphs stay apart: "garage." and "Today" are not glued into one word.
    expect(page.text).toMatch(/garage\.\n+Today/);
    expect(page).toMatchObject({ url: `${base}/article`, contentType: 'text/html', truncated: false, bytes: Buffer.byteLength(ARTICLE) });
  });

  it("falls back to the page's whole text when Readability finds no article", async () => {
    expect((await open(fetcher(), '/tiny')).text).toBe('Only a line of text.');
  });

  it('reads plain text, gzip bodies and declared charsets', async () => {
    expect((await open(fetcher(), '/plain')).text).toBe('line one\n\nline two');
    expect((await open(fetcher(), '/gzip')).text).toContain('founded in 1987');
    expect((await open(fetcher(), '/latin1')).text).toBe('café');
  });

  it('caps the text and says so', async () => {
    const page = await open(fetcher({ maxTextChars: 1000 }), '/long');
    expect(page.text).toHaveLength(1000);
    expect(page.truncated).toBe(true);
  });
});

describe('caps and content types', () => {
  it('stops a body larger than the cap while streaming (no content-length)', async () => {
    const error = await failure(fetcher({ maxBytes: 256 * 1024 }), '/huge');
    expect(error).toBeInstanceOf(PageTooLargeError);
    expect((error as Error).message).toContain('larger than 262144 bytes');
  });

  it('refuses a declared length above the cap before reading it', async () => {
    expect(await failure(fetcher(), '/declared-huge')).toBeInstanceOf(PageTooLargeError);
  });

  it('refuses what is not HTML or text', async () => {
    expect(await failure(fetcher(), '/pdf')).toBeInstanceOf(PageTypeError);
    expect(await failure(fetcher(), '/untyped')).toBeInstanceOf(PageTypeError);
  });
});

describe('status classes and retries', () => {
  it.each([
    ['/missing', PageNotFoundError, 'page_not_found'],
    ['/gone', PageNotFoundError, 'page_not_found'],
    ['/forbidden', PageBlockedError, 'page_blocked'],
    ['/login', PageBlockedError, 'page_blocked'],
    ['/challenge', PageBlockedError, 'page_blocked'],
  ] as const)('%s is %s and is asked for once, never retried', async (path, type, errorClass) => {
    const before = counts.get(path) ?? 0;
    const error = await failure(fetcher({ maxAttempts: 3 }), path);
    expect(error).toBeInstanceOf(type);
    expect((error as PageBlockedError).errorClass).toBe(errorClass);
    expect(counts.get(path)).toBe(before + 1);
  });

  it('names the bot challenge', async () => {
    expect(((await failure(fetcher(), '/challenge')) as Error).message).toContain('bot challenge');
  });

  it('retries a 5xx up to maxAttempts, then says page_server', async () => {
    const before = counts.get('/broken') ?? 0;
    expect(await failure(fetcher({ maxAttempts: 3 }), '/broken')).toBeInstanceOf(PageServerError);
    expect(counts.get('/broken')).toBe(before + 3);
  });

  it('a retry can succeed', async () => {
    counts.set('/flaky', 0);
    expect((await open(fetcher({ maxAttempts: 2 }), '/flaky')).text).toBe('second time lucky');
  });

  it('a dropped connection is page_connection; a refused port too', async () => {
    expect(await failure(fetcher({ maxAttempts: 1 }), '/reset')).toBeInstanceOf(PageConnectionError);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await fetcher({ maxAttempts: 1 }).open({ url: `http://127.0.0.1:${port}/`, signal: signal() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PageConnectionError);
  });
});

describe('timeouts', () => {
  it('each retry waits ×1.5 longer, and a host that timed out starts with the longer timeout next time', async () => {
    const attempts: PageAttemptEvent[] = [];
    const pages = fetcher({ timeoutMs: 100, maxTimeoutMs: 1000, maxAttempts: 2, onAttempt: (e) => attempts.push(e) });
    const error = await failure(pages, '/hang');
    expect(error).toBeInstanceOf(PageTimeoutError);
    expect((error as Error).message).toContain('no answer within 150 ms');
    expect(attempts.map((a) => a.timeoutMs)).toEqual([100, 150]);
    attempts.length = 0;
    await open(pages, '/plain');
    expect(attempts.map((a) => a.timeoutMs)).toEqual([225]);
  });

  it('the timeout never grows past the cap', async () => {
    const attempts: PageAttemptEvent[] = [];
    const pages = fetcher({ timeoutMs: 100, maxTimeoutMs: 120, maxAttempts: 3, onAttempt: (e) => attempts.push(e) });
    await failure(pages, '/hang');
    expect(attempts.map((a) => a.timeoutMs)).toEqual([100, 120, 120]);
  });

  it("the caller's abort ends the open with the caller's reason, without retries", async () => {
    const controller = new AbortController();
    const attempts: PageAttemptEvent[] = [];
    const pending = fetcher({ maxAttempts: 3, onAttempt: (e) => attempts.push(e) }).open({ url: `${base}/hang`, signal: controller.signal });
    const reason = new PageTimeoutError('row deadline');
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
    expect(attempts).toHaveLength(1);
  });
});

describe('politeness', () => {
  it('keeps at most 2 requests in flight to one host, however many are asked at once', async () => {
    maxInFlight = 0;
    const pages = fetcher();
    const texts = await Promise.all(Array.from({ length: 6 }, () => open(pages, '/slow-polite').then((p) => p.text)));
    expect(texts).toEqual(Array(6).fill('done'));
    expect(maxInFlight).toBe(2);
  });

  it("time spent waiting for the host's slot does not count against the attempt's timeout", async () => {
    const pages = fetcher({ perHostConnections: 1, timeoutMs: 400, maxAttempts: 1 });
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => open(pages, '/queued').then((p) => p.text, (e: unknown) => (e as Error).constructor.name)));
    expect(outcomes).toEqual(Array(6).fill('served'));
  });
});

describe('options', () => {
  it.each([
    [{ maxBytes: 0 }, 'WebPages: maxBytes must be a positive integer, got 0'],
    [{ timeoutMs: 2000, maxTimeoutMs: 1000 }, 'WebPages: maxTimeoutMs must be >= timeoutMs (2000), got 1000'],
    [{ maxRedirects: -1 }, 'WebPages: maxRedirects must be an integer >= 0, got -1'],
    [{ perHostConnections: 1.5 }, 'WebPages: perHostConnections must be a positive integer, got 1.5'],
    [{ userAgent: ' ' }, 'WebPages: userAgent must be a non-empty string when given'],
  ] as const)('%j is refused with an exact message', (options, message) => {
    expect(() => new WebPages(options as WebPagesOptions)).toThrow(message);
  });
});
