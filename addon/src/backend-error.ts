// A failed backend call as the add-on reports it: the API's error code and HTTP status, or `unreachable` (status 0).

export class BackendError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

export function isBackendError(error: unknown, code?: string): error is BackendError {
  return error instanceof BackendError && (code === undefined || error.code === code);
}
