// The names failures are counted and shown under (`failed: rate_limit`): one per error class of kernel/errors.ts.

/** What a failed row or a retry is counted under. */
export type ErrorClass =
  | 'rate_limit'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'quota'
  | 'auth'
  | 'invalid_request'
  | 'content_filter'
  | 'output_invalid'
  | 'input_invalid'
  | 'budget'
  | 'cancelled'
  // Research mode: the Search port's own failures (a Tavily key problem is not an OpenAI key problem).
  | 'search_rate_limit'
  | 'search_server'
  | 'search_auth'
  | 'search_quota'
  | 'search_invalid_request'
  // Research mode: the page fetcher's failures; a page that cannot be opened is told to the model, never fails a row.
  | 'page_timeout'
  | 'page_tls'
  | 'page_connection'
  | 'page_server'
  | 'page_blocked'
  | 'page_not_found'
  | 'page_too_large'
  | 'page_type'
  | 'page_refused';
