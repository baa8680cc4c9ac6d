// The Pages port: open one web page as readable text; errors arrive already typed (kernel/errors.ts, the page_* classes).

export interface PageRequest {
  /** An absolute http(s) URL. */
  readonly url: string;
  /** Aborts the fetch (the row's own deadline or a cancellation). */
  readonly signal: AbortSignal;
}

export interface OpenedPage {
  /** The URL finally read, after redirects. */
  readonly url: string;
  /** The article's or document's title; '' when the page has none. */
  readonly title: string;
  /** Readable text of the page (boilerplate removed when a main article is found), capped in length. */
  readonly text: string;
  /** True when `text` was cut at the cap. */
  readonly truncated: boolean;
  /** The media type the server declared, without parameters, e.g. `text/html`. */
  readonly contentType: string;
  /** Body bytes read. */
  readonly bytes: number;
}

export interface Pages {
  /**
   * Throws RowfillError subclasses: PageRefusedError (not http(s), private/loopback/metadata address, too many
   * redirects), PageBlockedError, PageNotFoundError, PageTimeoutError, PageConnectionError, PageTlsError,
   * PageServerError, PageTooLargeError, PageTypeError.
   */
  open(request: PageRequest): Promise<OpenedPage>;
}
