// Reads the token from `Authorization: Bearer <token>`, the one place the header's shape is checked.
import type { IncomingHttpHeaders } from 'node:http';
import { CallerAuthError } from './caller-auth-error.js';

/** Anything with Node's request headers: an Express Request or a bare IncomingMessage. */
export interface AuthRequest {
  readonly headers: IncomingHttpHeaders;
}

const BEARER = /^Bearer +([^\s]+) *$/i;

export function bearerToken(req: AuthRequest): string {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') {
    throw new CallerAuthError('missing_token', 'Send the identity token as "Authorization: Bearer <token>".');
  }
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) throw new CallerAuthError('malformed_token', 'The Authorization header must be "Bearer <token>".');
  return token;
}
