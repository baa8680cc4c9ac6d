// The Search port: one web search per call; errors arrive already typed (kernel/errors.ts, the search_* classes).

export interface SearchRequest {
  /** What to search for, as the model asked it. Non-empty. */
  readonly query: string;
  /** Most results wanted (1–20); the service may return fewer. */
  readonly maxResults: number;
  /** Aborts the call, including any wait for the adapter's own rate limit. */
  readonly signal: AbortSignal;
}

export interface SearchHit {
  readonly url: string;
  readonly title: string;
  /** The service's snippet of the page, the part most related to the query (plain text). */
  readonly content: string;
  /** The service's relevance score in [0, 1], when it gives one. */
  readonly score?: number | undefined;
}

/** What the service said about its request limits, when it said (headers); the adapter also learns from 429s. */
export interface SearchRateLimitInfo {
  readonly limitRequests?: number;
  readonly remainingRequests?: number;
  readonly resetRequestsMs?: number;
}

export interface SearchResult {
  readonly results: readonly SearchHit[];
  /** Billing: searches made for this call (1 per successful request) and the credits the service charged. */
  readonly usage: { readonly searches: number; readonly credits: number };
  readonly rateLimit?: SearchRateLimitInfo | undefined;
}

export interface Search {
  /** True when this client talks to the local stand-in, so results must be labelled simulated. */
  readonly simulated: boolean;
  /** Throws RowfillError subclasses (SearchRateLimitError, SearchServerError, SearchAuthError, SearchQuotaError, …). */
  search(request: SearchRequest): Promise<SearchResult>;
}
