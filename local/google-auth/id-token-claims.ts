// The claims of a minted ID token: Google's defaults filled in, then the requested defect (expired, wrong audience, unverified).
import { createHash } from 'node:crypto';

export const GOOGLE_ISSUER = 'https://accounts.google.com';

/** What Google puts in an ID token, as the add-on's `ScriptApp.getIdentityToken()` or a Cloud Tasks OIDC token carries it. */
export interface IdTokenClaims {
  /** The OAuth client id (add-on) or the service URL (Cloud Tasks). */
  readonly aud: string;
  readonly email?: string;
  /** Default: derived from the email, so one email always has one subject, like a Google account. */
  readonly sub?: string;
  /** Default true when there is an email. */
  readonly email_verified?: boolean;
  /** The Google Workspace domain; Google sets it only for Workspace/Cloud Identity accounts. */
  readonly hd?: string;
  readonly iss?: string;
  /** Default: the audience, as for an installed add-on. */
  readonly azp?: string;
  /** Seconds since the epoch; default now. */
  readonly iat?: number;
  /** Seconds since the epoch; default iat + lifetimeSeconds. */
  readonly exp?: number;
}

export interface MintIdTokenOptions {
  /** Issued two hours ago, expired an hour ago: beyond the five minutes of clock skew verifiers allow. */
  readonly expired?: boolean;
  /** Replaces `aud` with an audience no verifier is configured for. */
  readonly wrongAudience?: boolean;
  /** Signs with a second key whose certificate is never served (same `kid`, so only the signature gives it away). */
  readonly wrongSigner?: boolean;
  /** Sets `email_verified: false`. */
  readonly unverifiedEmail?: boolean;
  /** Default 3600, Google's own lifetime for ID tokens. */
  readonly lifetimeSeconds?: number;
}

export const WRONG_AUDIENCE = 'wrong-audience.apps.googleusercontent.com';

export function buildClaims(claims: IdTokenClaims, options: MintIdTokenOptions, nowSeconds: number): Record<string, unknown> {
  if (typeof claims.aud !== 'string' || claims.aud.trim() === '') throw new TypeError('mintIdToken: claims.aud must be a non-empty string');
  const lifetime = options.lifetimeSeconds ?? 3600;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > 86_400) {
    throw new TypeError(`mintIdToken: options.lifetimeSeconds must be an integer from 1 to 86400, got ${JSON.stringify(options.lifetimeSeconds)}`);
  }
  const iat = options.expired ? nowSeconds - 7200 : (claims.iat ?? nowSeconds);
  const exp = options.expired ? nowSeconds - 3600 : (claims.exp ?? iat + lifetime);
  const aud = options.wrongAudience ? WRONG_AUDIENCE : claims.aud;
  const payload: Record<string, unknown> = {
    iss: claims.iss ?? GOOGLE_ISSUER,
    azp: claims.azp ?? claims.aud,
    aud,
    sub: claims.sub ?? subjectFor(claims.email ?? claims.aud),
  };
  if (claims.hd !== undefined) payload.hd = claims.hd;
  if (claims.email !== undefined) {
    payload.email = claims.email;
    payload.email_verified = options.unverifiedEmail ? false : (claims.email_verified ?? true);
  } else if (options.unverifiedEmail) {
    payload.email_verified = false;
  }
  payload.iat = iat;
  payload.exp = exp;
  return payload;
}

/** A stable 21-digit subject, the shape of a Google account id. */
function subjectFor(seed: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(seed.toLowerCase()).digest('hex')}`).toString().slice(0, 20);
  return `1${digits}`;
}
