// Who calls the backend (the authenticated add-on user), and the refusal (403) when they may not act.
export interface Caller {
  readonly email: string;
}

/** The caller may not do this: not the job's owner and no fresh proof of edit access to its spreadsheet. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}
