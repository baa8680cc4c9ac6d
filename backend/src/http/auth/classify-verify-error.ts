// Turns google-auth-library's verification failure into our code and a message safe to show (the library's may quote the token).
import { CallerAuthError } from './caller-auth-error.js';

// The library reports every failure as a plain Error told apart only by its message, so we match the message prefixes
// of google-auth-library 10.x. An unknown message still fails closed as `invalid_token`; the tests pin each prefix.
const RULES: ReadonlyArray<readonly [prefix: string, error: () => CallerAuthError]> = [
  ['Failed to retrieve verification certificates', () => new CallerAuthError('auth_unavailable', "Google's signing keys could not be fetched; try again shortly.")],
  ['Wrong number of segments', () => malformed()],
  ["Can't parse token", () => malformed()],
  ['No pem found for envelope', () => badSignature()],
  ['Invalid token signature', () => badSignature()],
  ['Token used too late', () => new CallerAuthError('token_expired', 'The identity token has expired; get a fresh one and retry.')],
  ['Token used too early', () => new CallerAuthError('invalid_token', 'The identity token is not valid yet; check the clock of the machine that made it.')],
  ['Invalid issuer', () => new CallerAuthError('wrong_issuer', 'The identity token was not issued by accounts.google.com.')],
  ['Wrong recipient', () => new CallerAuthError('wrong_audience', 'The identity token was issued for a different audience.')],
];

export function classifyVerifyError(error: unknown): CallerAuthError {
  const message = error instanceof Error ? error.message : '';
  for (const [prefix, make] of RULES) {
    if (!message.startsWith(prefix)) continue;
    const mapped = make();
    // Only the key fetch failure keeps its cause: it names a URL, never the token, and operators need it.
    return mapped.code === 'auth_unavailable' ? new CallerAuthError(mapped.code, mapped.message, { cause: error }) : mapped;
  }
  return new CallerAuthError('invalid_token', 'The identity token is not valid.');
}

function malformed(): CallerAuthError {
  return new CallerAuthError('malformed_token', 'The identity token is not a well-formed JWT.');
}

function badSignature(): CallerAuthError {
  return new CallerAuthError('invalid_signature', 'The identity token is not signed by Google.');
}
