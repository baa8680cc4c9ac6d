// Errors shaped like Google's: an HTTP status, the canonical status name and a message, sent as `{ error: { code, message, status } }`.

export type GoogleStatus = 'INVALID_ARGUMENT' | 'UNAUTHENTICATED' | 'PERMISSION_DENIED' | 'NOT_FOUND' | 'RESOURCE_EXHAUSTED' | 'INTERNAL';

export class SheetsApiError extends Error {
  override readonly name = 'SheetsApiError';

  constructor(
    readonly httpStatus: number,
    readonly status: GoogleStatus,
    message: string,
    /** Extra `details` entries, as Google attaches to quota errors. */
    readonly details: readonly unknown[] = [],
  ) {
    super(message);
  }

  toJSON(): { error: { code: number; message: string; status: GoogleStatus; details?: readonly unknown[] } } {
    return { error: { code: this.httpStatus, message: this.message, status: this.status, ...(this.details.length > 0 ? { details: this.details } : {}) } };
  }
}

export function invalidArgument(message: string): SheetsApiError {
  return new SheetsApiError(400, 'INVALID_ARGUMENT', message);
}

export function notFound(message = 'Requested entity was not found.'): SheetsApiError {
  return new SheetsApiError(404, 'NOT_FOUND', message);
}

export function permissionDenied(message = 'The caller does not have permission'): SheetsApiError {
  return new SheetsApiError(403, 'PERMISSION_DENIED', message);
}

export function unauthenticated(): SheetsApiError {
  return new SheetsApiError(
    401,
    'UNAUTHENTICATED',
    'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  );
}
