// The Pages port on Rowfill's own fetcher: SSRF guard before any connection, pinned DNS, per-host politeness, caps, readable text.
import { isIP } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { backoffDelay } from '../../kernel/backoff.js';
import { PageBlockedError, PageConnectionError, PageRefusedError, PageTimeoutError, PageTooLargeError, PageTypeError, RowfillError } from '../../kernel/errors.js';
import type { Random } from '../../ports/clock.js';
import type { OpenedPage, PageRequest, Pages } from '../../ports/pages.js';
import { refusedAddressReason, refusedHostnameReason } from './address-policy.js';
import { systemResolver, type ResolvedAddress, type Resolver } from './dns-resolver.js';
import { HostLimiter } from './host-limiter.js';
import { HostTimeouts } from './host-timeouts.js';
import { pageErrorFromSocket, pageErrorFromStatus } from './page-errors.js';
import { readableHtml, readablePlainText } from './readable-text.js';
import { nodeTransport, type Transport, type TransportResponse } from './transport.js';

export interface WebPagesOptions {
  /** Allow 127.0.0.0/8 and ::1: ONLY for tests and the local stand-ins. Every other private address stays refused. Default false. */
  readonly allowLoopback?: boolean | undefined;
  /** Body cap in bytes, counted while streaming (after decompression). Default 2 MiB. */
  readonly maxBytes?: number | undefined;
  /** Readable text cap in characters. Default 12,000. */
  readonly maxTextChars?: number | undefined;
  /** Redirects followed (each re-checked). Default 5. */
  readonly maxRedirects?: number | undefined;
  /** Requests in flight per host. Default 2. */
  readonly perHostConnections?: number | undefined;
  /** Timeout of a first attempt, ms (×1.5 per retry, and per host after a timeout). Default 10,000. */
  readonly timeoutMs?: number | undefined;
  /** Longest attempt timeout, ms. Default 30,000. */
  readonly maxTimeoutMs?: number | undefined;
  /** Attempts per open() for retryable failures (timeout, connection, 5xx/429). Default 2. */
  readonly maxAttempts?: number | undefined;
  /** Sent as User-Agent. Default `Rowfill/1 (research mode; +https://github.com/rowfill)`. */
  readonly userAgent?: string | undefined;
  /** Name resolution; default the system resolver. Tests inject one to make a name "resolve" anywhere. */
  readonly resolve?: Resolver | undefined;
  /** The connection maker; default node:http(s) with the pinned address. Tests inject a spy to prove none was made. */
  readonly transport?: Transport | undefined;
  /** Jitter of the wait between attempts. Default Math.random. */
  readonly random?: Random | undefined;
  /** Called as each attempt starts (for logs and tests). */
  readonly onAttempt?: ((event: PageAttemptEvent) => void) | undefined;
}

export interface PageAttemptEvent {
  readonly url: string;
  /** 1-based. */
  readonly attempt: number;
  readonly timeoutMs: number;
}

export const DEFAULT_MAX_PAGE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_TEXT_CHARS = 12_000;
const READABLE_TYPES = new Set(['text/html', 'application/xhtml+xml', 'text/plain']);
/** A page that says "come back in a minute" is not worth holding a row for: longer Retry-After ends the tries. */
const RETRY_WAIT = { baseMs: 250, capMs: 2_000 } as const;

export class WebPages implements Pages {
  private readonly allowLoopback: boolean;
  private readonly maxBytes: number;
  private readonly maxTextChars: number;
  private readonly maxRedirects: number;
  private readonly maxAttempts: number;
  private readonly userAgent: string;
  private readonly resolve: Resolver;
  private readonly transport: Transport;
  private readonly random: Random;
  private readonly onAttempt: ((event: PageAttemptEvent) => void) | undefined;
  private readonly limiter: HostLimiter;
  private readonly timeouts: HostTimeouts;

  constructor(options: WebPagesOptions = {}) {
    const allowLoopback = options.allowLoopback ?? false;
    if (typeof allowLoopback !== 'boolean') throw new Error('WebPages: allowLoopback must be a boolean when given');
    const perHost = positiveInteger('perHostConnections', options.perHostConnections, 2);
    const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs, 10_000);
    const maxTimeoutMs = positiveInteger('maxTimeoutMs', options.maxTimeoutMs, Math.max(30_000, timeoutMs));
    if (maxTimeoutMs < timeoutMs) throw new Error(`WebPages: maxTimeoutMs must be >= timeoutMs (${timeoutMs}), got ${maxTimeoutMs}`);
    this.allowLoopback = allowLoopback;
    this.maxBytes = positiveInteger('maxBytes', options.maxBytes, DEFAULT_MAX_PAGE_BYTES);
    this.maxTextChars = positiveInteger('maxTextChars', options.maxTextChars, DEFAULT_MAX_TEXT_CHARS);
    this.maxRedirects = nonNegativeInteger('maxRedirects', options.maxRedirects, 5);
    this.maxAttempts = positiveInteger('maxAttempts', options.maxAttempts, 2);
    if (options.userAgent !== undefined && (typeof options.userAgent !== 'string' || options.userAgent.trim() === '')) {
      throw new Error('WebPages: userAgent must be a non-empty string when given');
    }
    this.userAgent = options.userAgent ?? 'Rowfill/1 (research mode; +https://github.com/rowfill)';
    this.resolve = options.resolve ?? systemResolver;
    this.transport = options.transport ?? nodeTransport({ maxSocketsPerHost: perHost });
    this.random = options.random ?? Math.random;
    this.onAttempt = options.onAttempt;
    this.limiter = new HostLimiter(perHost);
    this.timeouts = new HostTimeouts(timeoutMs, maxTimeoutMs);
  }

  async open(request: PageRequest): Promise<OpenedPage> {
    const { signal } = request;
    const url = this.parse(request.url);
    // Fixed for this open, so its retries grow ×1.5 from where the host stood when it began.
    const startLevel = this.timeouts.startLevel(url.hostname);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(url, attempt, startLevel + attempt - 1, signal);
      } catch (error) {
        const typed = error instanceof RowfillError ? error : pageErrorFromSocket(error, url);
        if (signal.aborted || !typed.retryable || attempt >= this.maxAttempts) throw typed;
        if (typed.retryAfterMs !== undefined && typed.retryAfterMs > RETRY_WAIT.capMs) throw typed;
        await abortableDelay(backoffDelay(RETRY_WAIT, attempt, this.random, typed.retryAfterMs), signal, url);
      }
    }
  }

  /** One attempt: every hop checked, then connected to the checked address only, all inside one timeout. */
  private async attempt(start: URL, attempt: number, level: number, callerSignal: AbortSignal): Promise<OpenedPage> {
    const host = start.hostname;
    const timeoutMs = this.timeouts.timeoutAt(level);
    this.onAttempt?.({ url: start.href, attempt, timeoutMs });
    const timer = new AbortController();
    let handle: NodeJS.Timeout | undefined;
    const signal = AbortSignal.any([callerSignal, timer.signal]);
    let current = start;
    try {
      for (let hop = 0; ; hop++) {
        const target = await this.checkedAddress(current, signal);
        const release = await this.limiter.acquire(current.hostname, signal);
        // The clock starts once the first hop holds its slot: waiting behind this process's own requests to the
        // host says nothing about the host, and must neither time the page out nor raise the host's timeout.
        handle ??= setTimeout(() => {
          timer.abort(new PageTimeoutError(`could not open ${start.href}: no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        try {
          const response = await this.transport({
            url: current,
            address: target.address,
            family: target.family,
            headers: {
              'user-agent': this.userAgent,
              accept: 'text/html, application/xhtml+xml, text/plain;q=0.9',
              'accept-encoding': 'gzip, deflate, br',
            },
            signal,
          });
          const next = this.redirectTarget(response, current, hop);
          if (next) {
            current = next;
            continue;
          }
          return await this.read(response, current);
        } finally {
          release();
        }
      }
    } catch (error) {
      if (callerSignal.aborted) throw callerAbort(callerSignal, current);
      if (timer.signal.aborted) {
        this.timeouts.recordTimeout(host, level);
        throw timer.signal.reason as PageTimeoutError;
      }
      throw pageErrorFromSocket(error, current);
    } finally {
      if (handle !== undefined) clearTimeout(handle);
    }
  }

  /** The URL as a WHATWG URL (which also normalises 0x7f.1 and 2130706433 to 127.0.0.1), or a refusal. */
  private parse(text: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new PageRefusedError(`could not open ${JSON.stringify(text)}: not a valid URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new PageRefusedError(`could not open ${url.href}: only http and https URLs are opened`);
    }
    if (url.username !== '' || url.password !== '') throw new PageRefusedError(`could not open ${url.origin}: URLs with credentials are not opened`);
    url.hash = '';
    return url;
  }

  /** The address to connect to: the name and every address it resolves to must pass the policy, before any socket. */
  private async checkedAddress(url: URL, signal: AbortSignal): Promise<ResolvedAddress> {
    const policy = { allowLoopback: this.allowLoopback };
    const hostname = bare(url.hostname);
    const refusedName = refusedHostnameReason(hostname, policy);
    if (refusedName) throw new PageRefusedError(`could not open ${url.href}: ${refusedName}`);
    const literal = literalAddress(hostname);
    const addresses = literal ? [literal] : await this.resolve(hostname, signal);
    if (addresses.length === 0) throw new PageConnectionError(`could not open ${url.href}: ${hostname} has no address`);
    // Every answer is checked, not only the first: a name with one public and one private address is refused whole.
    for (const { address } of addresses) {
      const reason = refusedAddressReason(address, policy);
      if (reason) throw new PageRefusedError(`could not open ${url.href}: ${hostname} resolves to ${reason}`);
    }
    return addresses[0]!;
  }

  /** The next URL when `response` is a redirect (its body dropped), else null. */
  private redirectTarget(response: TransportResponse, current: URL, hop: number): URL | null {
    if (![301, 302, 303, 307, 308].includes(response.status)) return null;
    const location = response.headers.location;
    response.close();
    if (location === undefined || location === '') {
      // The same request gets the same broken answer, so it is not retried.
      throw new PageBlockedError(`could not open ${current.href}: redirect ${response.status} without a Location`, { status: response.status });
    }
    if (hop >= this.maxRedirects) throw new PageRefusedError(`could not open ${current.href}: more than ${this.maxRedirects} redirects`);
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new PageRefusedError(`could not open ${current.href}: it redirects to an invalid URL`);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new PageRefusedError(`could not open ${current.href}: it redirects to ${next.protocol} (only http and https are opened)`);
    }
    if (next.username !== '' || next.password !== '') throw new PageRefusedError(`could not open ${current.href}: it redirects to a URL with credentials`);
    next.hash = '';
    return next;
  }

  /** Status, type and size checks, then the body as readable text. */
  private async read(response: TransportResponse, url: URL): Promise<OpenedPage> {
    const statusError = pageErrorFromStatus(response.status, response.headers, url, Date.now());
    if (statusError) {
      response.close();
      throw statusError;
    }
    const [mediaType, charset] = parseContentType(response.headers['content-type']);
    if (!READABLE_TYPES.has(mediaType)) {
      response.close();
      throw new PageTypeError(`could not open ${url.href}: it is ${mediaType === '' ? 'of no declared type' : mediaType}, not a web page or text`);
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBytes && (response.headers['content-encoding'] ?? '') === '') {
      response.close();
      throw tooLarge(url, this.maxBytes);
    }
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    for await (const chunk of response.body) {
      bytes += chunk.byteLength;
      if (bytes > this.maxBytes) {
        response.close();
        throw tooLarge(url, this.maxBytes);
      }
      chunks.push(chunk);
    }
    const body = decode(Buffer.concat(chunks), charset);
    const readable = mediaType === 'text/plain' ? readablePlainText(body, this.maxTextChars) : readableHtml(body, this.maxTextChars);
    return { url: url.href, title: readable.title, text: readable.text, truncated: readable.truncated, contentType: mediaType, bytes };
  }
}

function tooLarge(url: URL, maxBytes: number): PageTooLargeError {
  return new PageTooLargeError(`could not open ${url.href}: the page is larger than ${maxBytes} bytes`);
}

/** The caller's own abort (row deadline, cancellation): its reason when typed, else a timeout naming the page. */
function callerAbort(signal: AbortSignal, url: URL): RowfillError {
  const reason: unknown = signal.reason;
  if (reason instanceof RowfillError) return reason;
  return new PageTimeoutError(`could not open ${url.href}: stopped before it answered`);
}

function bare(hostname: string): string {
  const lower = hostname.toLowerCase();
  return lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
}

function literalAddress(hostname: string): ResolvedAddress | null {
  const version = isIP(hostname);
  return version === 0 ? null : { address: hostname, family: version === 6 ? 6 : 4 };
}

function parseContentType(header: string | undefined): [string, string | undefined] {
  if (header === undefined) return ['', undefined];
  const [type = '', ...params] = header.split(';');
  let charset: string | undefined;
  for (const param of params) {
    const [name, value] = param.split('=');
    if (name?.trim().toLowerCase() === 'charset' && value) charset = value.trim().replace(/^"|"$/g, '');
  }
  return [type.trim().toLowerCase(), charset];
}

function decode(body: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    // An unknown charset label: UTF-8 is what almost every page is, and a wrong guess costs a few odd characters.
    return new TextDecoder('utf-8').decode(body);
  }
}

async function abortableDelay(ms: number, signal: AbortSignal, url: URL): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    throw callerAbort(signal, url);
  }
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`WebPages: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`WebPages: ${name} must be an integer >= 0, got ${JSON.stringify(value)}`);
  return value;
}
