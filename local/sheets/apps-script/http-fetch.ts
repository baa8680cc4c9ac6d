// One real HTTP request for UrlFetchApp, with Node's fetch: every outcome becomes a FetchReply, never an exception.
import type { FetchReply, FetchRequest } from './host.js';

export async function performFetch(request: FetchRequest): Promise<FetchReply> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== null && request.method !== 'GET' && request.method !== 'HEAD' ? { body: request.body } : {}),
      redirect: request.followRedirects ? 'follow' : 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const body = await response.text();
    return { ok: true, status: response.status, headers: [...response.headers.entries()], body };
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    if (error instanceof Error && error.name === 'TimeoutError') return { ok: false, message: `Timeout: ${request.url}` };
    const code = typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : String(error);
    return { ok: false, message: code === 'ENOTFOUND' ? `DNS error: ${request.url}` : `Address unavailable: ${request.url} (${code})` };
  }
}
