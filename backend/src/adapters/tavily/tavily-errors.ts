// The one place the Tavily adapter turns an HTTP answer or a network failure into the engine's typed search_* errors.
import {
  RowfillError,
  SearchAuthError,
  SearchInvalidRequestError,
  SearchQuotaError,
  SearchRateLimitError,
  SearchServerError,
} from '../../kernel/errors.js';

/** A non-2xx answer from Tavily. 432 (plan limit) and 433 (pay-as-you-go limit) are Tavily's own quota statuses. */
export function tavilyHttpError(status: number, detail: string, retryAfterMs: number | undefined, baseURL: string): RowfillError {
  const options = { status, retryAfterMs };
  const said = detail === '' ? '' : `: ${detail}`;
  if (status === 401 || status === 403) return new SearchAuthError(`Tavily rejected the API key (${status})${said}. Set TAVILY_API_KEY to a valid key`, options);
  if (status === 429) return new SearchRateLimitError(`Tavily rate limit reached (429)${said}`, options);
  if (status === 432 || status === 433) {
    return new SearchQuotaError(`Tavily says the plan's search credits are used up (${status})${said}. Raise the plan or the pay-as-you-go limit, then resume the job`, options);
  }
  if (status === 404) return new SearchServerError(`Tavily answered 404 at ${baseURL}/search${said}: check TAVILY_BASE_URL`, options);
  if (status === 408 || status >= 500) return new SearchServerError(`Tavily had a server error (${status})${said}`, options);
  return new SearchInvalidRequestError(`Tavily rejected the search (${status})${said}`, options);
}

/** A failure with no HTTP answer: our own abort (its reason when typed), or the network. */
export function tavilyNetworkError(error: unknown, signal: AbortSignal, baseURL: string): RowfillError {
  if (error instanceof RowfillError) return error;
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof RowfillError) return reason;
    return new SearchServerError('Tavily did not answer before the search was aborted', { cause: error });
  }
  const cause: unknown = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new SearchServerError(`Could not reach Tavily at ${baseURL} (${detail}): check the network and TAVILY_BASE_URL`, { cause: error });
}

/** Tavily's error sentence from `{ "detail": { "error": "…" } }` (or a plain `detail` string), else ''. */
export function tavilyErrorDetail(body: unknown): string {
  if (typeof body !== 'object' || body === null || !('detail' in body)) return '';
  const detail: unknown = body.detail;
  if (typeof detail === 'string') return detail;
  if (typeof detail === 'object' && detail !== null && 'error' in detail && typeof detail.error === 'string') return detail.error;
  return '';
}
