// UrlFetchApp.fetch: blocking, real HTTP through the host, with Apps Script's params, defaults and error messages.
import { BlobFace } from './blob.js';
import { scalarText } from './enums.js';
import type { AppsScriptHost, FetchRequest } from './host.js';

/** Apps Script's own deadline for one fetch. */
export const FETCH_TIMEOUT_MS = 60_000;

interface FetchParams {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly contentType?: string;
  readonly payload?: unknown;
  readonly muteHttpExceptions?: boolean;
  readonly followRedirects?: boolean;
  readonly validateHttpsCertificates?: boolean;
  readonly escaping?: boolean;
}

export class HttpResponseFace {
  constructor(
    private readonly status: number,
    private readonly headers: readonly (readonly [string, string])[],
    private readonly body: string,
  ) {}

  getResponseCode(): number {
    return this.status;
  }

  getContentText(_charset?: string): string {
    return this.body;
  }

  /** Header names as the server sent them; repeated headers are joined, as Apps Script does for most. */
  getHeaders(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of this.headers) out[name] = name in out ? `${out[name]}, ${value}` : value;
    return out;
  }

  getAllHeaders(): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of this.headers) {
      const seen = out[name];
      out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
    }
    return out;
  }

  getContent(): number[] {
    return this.getBlob().getBytes();
  }

  getBlob(): BlobFace {
    return new BlobFace(Buffer.from(this.body, 'utf8'), this.getHeaders()['content-type'] ?? null, null);
  }
}

function payloadOf(params: FetchParams): { body: string | null; contentType: string | null } {
  const payload = params.payload;
  if (payload === undefined || payload === null) return { body: null, contentType: params.contentType ?? null };
  if (typeof payload === 'string') return { body: payload, contentType: params.contentType ?? 'application/x-www-form-urlencoded' };
  if (payload instanceof BlobFace) return { body: payload.getDataAsString(), contentType: params.contentType ?? payload.getContentType() };
  if (typeof payload === 'object') {
    const form = new URLSearchParams(Object.entries(payload as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]));
    return { body: form.toString(), contentType: params.contentType ?? 'application/x-www-form-urlencoded' };
  }
  return { body: scalarText(payload), contentType: params.contentType ?? 'application/x-www-form-urlencoded' };
}

export function urlFetchApp(host: AppsScriptHost) {
  return {
    fetch(url: string, params: FetchParams = {}): HttpResponseFace {
      if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) throw new Error(`Invalid argument: ${String(url)}`);
      const method = (params.method ?? 'get').toUpperCase();
      const { body, contentType } = payloadOf(params);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(params.headers ?? {})) headers[k] = String(v);
      if (contentType !== null) headers['Content-Type'] = contentType;
      const request: FetchRequest = { url, method, headers, body, followRedirects: params.followRedirects ?? true, timeoutMs: FETCH_TIMEOUT_MS };
      const reply = host.fetch(request);
      if (!reply.ok) throw new Error(reply.message);
      if (reply.status >= 400 && !params.muteHttpExceptions) {
        const origin = new URL(url).origin;
        throw new Error(`Request failed for ${origin} returned code ${reply.status}. Truncated server response: ${reply.body.slice(0, 100)} (use muteHttpExceptions option to examine full response)`);
      }
      return new HttpResponseFace(reply.status, reply.headers, reply.body);
    },
  };
}
