// Turns a failed Sheets API call into the errors callers understand: SheetAccessError for people, typed errors for the engine.
import { errorFromHttp, parseRetryAfter, RowfillError } from '../../kernel/errors.js';
import { SheetAccessError } from '../../ports/spreadsheet.js';

export interface ApiFailure {
  /** HTTP status, or undefined when no answer arrived. */
  readonly status: number | undefined;
  /** Google's canonical status name, e.g. `PERMISSION_DENIED`, `RESOURCE_EXHAUSTED`. */
  readonly reason: string | undefined;
  readonly message: string;
  readonly retryAfterMs: number | undefined;
}

interface GaxiosLike {
  status?: unknown;
  message?: unknown;
  response?: { status?: unknown; headers?: unknown; data?: unknown };
}

function headerGetter(headers: unknown): { get(name: string): string | null } | undefined {
  if (headers && typeof (headers as { get?: unknown }).get === 'function') return headers as { get(name: string): string | null };
  if (headers && typeof headers === 'object') {
    const record = headers as Record<string, unknown>;
    return { get: (name) => (typeof record[name] === 'string' ? record[name] : null) };
  }
  return undefined;
}

/** What a googleapis (gaxios) error carried: status, Google's error body, Retry-After when sent. */
export function apiFailure(error: unknown, now: number): ApiFailure {
  const e = (error ?? {}) as GaxiosLike;
  const rawStatus = e.response?.status ?? e.status;
  const status = typeof rawStatus === 'number' ? rawStatus : undefined;
  const body = (e.response?.data as { error?: { message?: unknown; status?: unknown } } | undefined)?.error;
  const message = typeof body?.message === 'string' ? body.message : error instanceof Error ? error.message : String(error);
  return {
    status,
    reason: typeof body?.status === 'string' ? body.status : undefined,
    message,
    retryAfterMs: parseRetryAfter(headerGetter(e.response?.headers), now),
  };
}

/** The engine's view of a failed write or read: 429 rate limit, 401/403 auth, 5xx server, no answer connection. */
export function engineError(failure: ApiFailure, cause: unknown): RowfillError {
  return errorFromHttp({
    status: failure.status,
    code: failure.reason,
    message: `Google Sheets: ${failure.message}`,
    retryAfterMs: failure.retryAfterMs,
    cause,
  });
}

/**
 * A person's view of a failed call on `spreadsheetId`: not shared, not found, or rate limited get plain words naming the
 * service account; anything else is passed on as a typed engine error.
 */
export function accessError(error: unknown, spreadsheetId: string, serviceAccountEmail: string, now: number): Error {
  if (error instanceof SheetAccessError) return error;
  if (error instanceof RowfillError && error.errorClass === 'rate_limit') {
    return new SheetAccessError('quota', `Writes to this spreadsheet are paused after Google Sheets rate limited them. Try again in a minute.`, { cause: error });
  }
  if (error instanceof RowfillError) return error;
  const failure = apiFailure(error, now);
  if (failure.status === 403) {
    return new SheetAccessError(
      'not_shared',
      `Rowfill cannot open spreadsheet ${spreadsheetId}: share it with ${serviceAccountEmail} as an editor, then try again.`,
      { cause: error },
    );
  }
  if (failure.status === 404) {
    return new SheetAccessError(
      'not_found',
      `Spreadsheet ${spreadsheetId} was not found. Check the link; if it is right, share the spreadsheet with ${serviceAccountEmail} as an editor.`,
      { cause: error },
    );
  }
  if (failure.status === 429) {
    return new SheetAccessError('quota', `Google Sheets is rate limiting requests right now (${failure.message}). Try again in a minute.`, { cause: error });
  }
  return engineError(failure, error);
}
