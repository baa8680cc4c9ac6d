// The one place the page fetcher turns a socket error or an HTTP status into the engine's typed page_* errors.
import {
  PageBlockedError,
  PageConnectionError,
  PageNotFoundError,
  PageServerError,
  PageTimeoutError,
  PageTlsError,
  RowfillError,
  parseRetryAfter,
} from '../../kernel/errors.js';

const TLS_CODES = new Set([
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/** A socket-level failure while opening `url`, as a typed error. */
export function pageErrorFromSocket(error: unknown, url: URL): RowfillError {
  if (error instanceof RowfillError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error).code) : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('CERT_')) {
    return new PageTlsError(`could not open ${url.href}: TLS failed (${detail})`, { cause: error });
  }
  if (code === 'ENOTFOUND') return new PageNotFoundError(`could not open ${url.href}: no such host ${url.hostname}`, { cause: error });
  if (code === 'ETIMEDOUT') return new PageTimeoutError(`could not open ${url.href}: the connection timed out`, { cause: error });
  return new PageConnectionError(`could not open ${url.href}: ${detail}${code && !detail.includes(code) ? ` (${code})` : ''}`, { cause: error });
}

/** The typed error for a non-2xx, non-redirect answer, or null when the status means "here is the page". */
export function pageErrorFromStatus(status: number, headers: Readonly<Record<string, string>>, url: URL, now: number): RowfillError | null {
  const challenged = (headers['cf-mitigated'] ?? '').toLowerCase().includes('challenge');
  if (challenged) return new PageBlockedError(`could not open ${url.href}: the site answered with a bot challenge (${status})`, { status });
  if (status >= 200 && status < 300) return null;
  const at = `could not open ${url.href}: the site answered ${status}`;
  const retryAfterMs = parseRetryAfter({ get: (name) => headers[name.toLowerCase()] ?? null }, now);
  if (status === 404 || status === 410) return new PageNotFoundError(`${at} (not found)`, { status });
  if (status === 408) return new PageTimeoutError(`${at} (request timeout)`, { status, retryAfterMs });
  if (status === 429 || status >= 500) return new PageServerError(at, { status, retryAfterMs });
  if (status === 401 || status === 403 || status === 451) return new PageBlockedError(`${at} (access refused)`, { status });
  return new PageBlockedError(at, { status });
}
