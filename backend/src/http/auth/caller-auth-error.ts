// Why a caller was turned away, as a typed error the app's error middleware maps to its status and `{ error: { code, message } }`.

/** 401: we do not know who is calling. 403: we know, and they may not. 503: we cannot check right now. */
export const CALLER_AUTH_STATUS = {
  missing_token: 401,
  malformed_token: 401,
  invalid_signature: 401,
  token_expired: 401,
  wrong_audience: 401,
  wrong_issuer: 401,
  invalid_token: 401,
  email_unverified: 403,
  caller_not_allowed: 403,
  auth_unavailable: 503,
} as const;

export type CallerAuthCode = keyof typeof CALLER_AUTH_STATUS;
export type CallerAuthStatus = (typeof CALLER_AUTH_STATUS)[CallerAuthCode];

/** Named apart from the engine's AuthError, which is the model provider refusing our key. */
export class CallerAuthError extends Error {
  override readonly name = 'CallerAuthError';
  readonly status: CallerAuthStatus;

  /** `message` is shown to the caller: never put a token or a library's message (which may quote the token) in it. */
  constructor(
    readonly code: CallerAuthCode,
    message: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = CALLER_AUTH_STATUS[code];
  }
}
