// Typed errors, defined once: every failure maps to one class here, and the class decides retry or pause.
import type { ErrorClass } from './error-classes.js';

export type ErrorEffect = 'retry' | 'pause' | 'fail';

export abstract class RowfillError extends Error {
  abstract readonly errorClass: ErrorClass;
  /** What the engine does with a row that met this error. */
  abstract readonly effect: ErrorEffect;
  /** The provider asked us to wait at least this long (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(message: string, options: { retryAfterMs?: number | undefined; status?: number | undefined; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }

  get retryable(): boolean {
    return this.effect === 'retry';
  }
}

export class RateLimitError extends RowfillError {
  readonly errorClass = 'rate_limit';
  readonly effect = 'retry';
}
export class ServerError extends RowfillError {
  readonly errorClass = 'server';
  readonly effect = 'retry';
}
export class TimeoutError extends RowfillError {
  readonly errorClass = 'timeout';
  readonly effect = 'retry';
}
export class ConnectionError extends RowfillError {
  readonly errorClass = 'connection';
  readonly effect = 'retry';
}
/** The account is out of credit: retrying spends nothing but time, so the job pauses. */
export class QuotaError extends RowfillError {
  readonly errorClass = 'quota';
  readonly effect = 'pause';
}
export class AuthError extends RowfillError {
  readonly errorClass = 'auth';
  readonly effect = 'pause';
}
export class InvalidRequestError extends RowfillError {
  readonly errorClass = 'invalid_request';
  readonly effect = 'fail';
}
export class ContentFilterError extends RowfillError {
  readonly errorClass = 'content_filter';
  readonly effect = 'fail';
}
export class OutputInvalidError extends RowfillError {
  readonly errorClass = 'output_invalid';
  readonly effect = 'fail';
}
export class InputInvalidError extends RowfillError {
  readonly errorClass = 'input_invalid';
  readonly effect = 'fail';
}
export class BudgetError extends RowfillError {
  readonly errorClass = 'budget';
  readonly effect = 'pause';
}
/**
 * The provider's answer was larger than Rowfill reads (a provider ignoring the token cap): refused unread, so its
 * usage — and cost — is unknown. The job pauses for its budget, and the row's whole reservation counts as spent.
 */
export class AnswerTooLargeError extends RowfillError {
  readonly errorClass = 'budget';
  readonly effect = 'pause';
}
export class CancelledError extends RowfillError {
  readonly errorClass = 'cancelled';
  readonly effect = 'fail';
}

/** What a provider's HTTP error carried, as far as classification needs. */
export interface HttpErrorFacts {
  /** HTTP status, or undefined when no response arrived. */
  readonly status: number | undefined;
  /** Provider error code or type, e.g. `insufficient_quota`, `invalid_api_key`, `content_filter`. */
  readonly code?: string | null | undefined;
  readonly message: string;
  /** Retry-After in ms (from `retry-after-ms` or `retry-after`), when present. */
  readonly retryAfterMs?: number | undefined;
  readonly cause?: unknown;
}

/**
 * The one place that maps a provider's answer to an error class. 429 is a rate limit unless the code says the
 * account is out of quota; 401/403 are auth; 408/409/5xx retry; other 4xx fail the row.
 */
export function errorFromHttp(facts: HttpErrorFacts): RowfillError {
  const { status, code, message, retryAfterMs, cause } = facts;
  const options = { retryAfterMs, status, cause };
  const c = (code ?? '').toLowerCase();
  if (c === 'insufficient_quota' || c === 'billing_hard_limit_reached' || c === 'billing_not_active') {
    return new QuotaError(message, options);
  }
  if (c === 'content_filter' || c === 'content_policy_violation') return new ContentFilterError(message, options);
  if (status === undefined) return new ConnectionError(message, options);
  if (status === 429) return new RateLimitError(message, options);
  if (status === 401 || status === 403) return new AuthError(message, options);
  if (status === 408) return new TimeoutError(message, options);
  if (status === 409 || status >= 500) return new ServerError(message, options);
  return new InvalidRequestError(message, options);
}

/** Parse a Retry-After header (seconds or HTTP date) or retry-after-ms into ms; undefined when absent or nonsense. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

/** Any thrown value as a RowfillError: typed errors pass through, anything else is a connection-level failure. */
export function asRowfillError(error: unknown): RowfillError {
  if (error instanceof RowfillError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectionError(message, { cause: error });
}

// Research mode's error classes. Search failures get classes of their own rather than the model's (`rate_limit`,
// `auth`…) so a job's errors-by-class says which key or service to fix; pages never fail a row (the model is told
// "could not open: …"), and their effect only decides whether the fetcher tries the page again.

/** The search API said slow down (429): retried after its Retry-After, and its requests/min bucket shrinks. */
export class SearchRateLimitError extends RowfillError {
  readonly errorClass = 'search_rate_limit';
  readonly effect = 'retry';
}
/** The search API failed, timed out or could not be reached (5xx, 408, no response). */
export class SearchServerError extends RowfillError {
  readonly errorClass = 'search_server';
  readonly effect = 'retry';
}
/** The search API rejected the key (401/403): every row would fail the same way, so the job pauses. */
export class SearchAuthError extends RowfillError {
  readonly errorClass = 'search_auth';
  readonly effect = 'pause';
}
/** The search plan or credit is used up (Tavily 432/433): retrying spends nothing but time, so the job pauses. */
export class SearchQuotaError extends RowfillError {
  readonly errorClass = 'search_quota';
  readonly effect = 'pause';
}
/** The search API refused this query (other 4xx): the same query fails again. */
export class SearchInvalidRequestError extends RowfillError {
  readonly errorClass = 'search_invalid_request';
  readonly effect = 'fail';
}

/** The page did not answer within the attempt's timeout. */
export class PageTimeoutError extends RowfillError {
  readonly errorClass = 'page_timeout';
  readonly effect = 'retry';
}
/** The TLS handshake failed (bad certificate, protocol): trying again meets the same certificate. */
export class PageTlsError extends RowfillError {
  readonly errorClass = 'page_tls';
  readonly effect = 'fail';
}
/** No connection or a dropped one (refused, reset, DNS failure). */
export class PageConnectionError extends RowfillError {
  readonly errorClass = 'page_connection';
  readonly effect = 'retry';
}
/** The site answered 5xx or 429. */
export class PageServerError extends RowfillError {
  readonly errorClass = 'page_server';
  readonly effect = 'retry';
}
/** The site refuses to serve us (401, 403, 451, other 4xx, a bot challenge): not retried. */
export class PageBlockedError extends RowfillError {
  readonly errorClass = 'page_blocked';
  readonly effect = 'fail';
}
/** 404 or 410. */
export class PageNotFoundError extends RowfillError {
  readonly errorClass = 'page_not_found';
  readonly effect = 'fail';
}
/** The body is larger than the fetcher's cap (stopped while streaming). */
export class PageTooLargeError extends RowfillError {
  readonly errorClass = 'page_too_large';
  readonly effect = 'fail';
}
/** Not HTML or plain text. */
export class PageTypeError extends RowfillError {
  readonly errorClass = 'page_type';
  readonly effect = 'fail';
}
/** Rowfill itself refused the URL before connecting: not http(s), a private/loopback/metadata address, too many redirects. */
export class PageRefusedError extends RowfillError {
  readonly errorClass = 'page_refused';
  readonly effect = 'fail';
}
