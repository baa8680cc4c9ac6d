// The stand-in's OIDC tokens: Google-shaped ID tokens for a service account, signed RS256 with a key made at start.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface OidcTokenRequest {
  readonly serviceAccountEmail: string;
  readonly audience: string;
}

/** Mints the bearer token a dispatch carries; replace it to test a verifier against other tokens. */
export type OidcSigner = (request: OidcTokenRequest) => string | Promise<string>;

export interface OidcIssuerOptions {
  /** The `iss` claim. Default 'https://accounts.google.com', what Google's tokens carry. */
  readonly issuer?: string;
  /** Token lifetime; default one hour, as Google's. */
  readonly lifetimeMs?: number;
}

export interface PublicJwk {
  readonly kty: string;
  readonly n: string;
  readonly e: string;
  readonly kid: string;
  readonly alg: 'RS256';
  readonly use: 'sig';
}

/** A token is reused until this long before it expires, as Google reuses them, so a busy queue signs rarely. */
const REUSE_MARGIN_MS = 5 * 60_000;

export class LocalOidcIssuer {
  readonly issuer: string;
  readonly keyId: string;
  /** SPKI PEM of the signing key. */
  readonly publicKeyPem: string;
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  readonly #lifetimeMs: number;
  readonly #cache = new Map<string, { token: string; reuseUntil: number }>();

  constructor(options: OidcIssuerOptions = {}) {
    this.issuer = options.issuer ?? 'https://accounts.google.com';
    this.#lifetimeMs = options.lifetimeMs ?? 3_600_000;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.#privateKey = privateKey;
    this.#publicKey = publicKey;
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = createHash('sha256').update(this.publicKeyPem).digest('hex').slice(0, 40);
  }

  /** A signed ID token for the service account and audience. */
  readonly sign = (request: OidcTokenRequest): string => {
    const now = Date.now();
    const key = `${request.serviceAccountEmail}\u0000${request.audience}`;
    const hit = this.#cache.get(key);
    if (hit && hit.reuseUntil > now) return hit.token;
    const iat = Math.floor(now / 1000);
    const exp = iat + Math.floor(this.#lifetimeMs / 1000);
    const sub = numericSubject(request.serviceAccountEmail);
    const header = { alg: 'RS256', kid: this.keyId, typ: 'JWT' };
    const claims = { iss: this.issuer, aud: request.audience, azp: sub, sub, email: request.serviceAccountEmail, email_verified: true, iat, exp };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), this.#privateKey).toString('base64url');
    const token = `${signingInput}.${signature}`;
    this.#cache.set(key, { token, reuseUntil: exp * 1000 - REUSE_MARGIN_MS });
    return token;
  };

  /** The key set, shaped like https://www.googleapis.com/oauth2/v3/certs. */
  jwks(): { keys: PublicJwk[] } {
    const jwk = this.#publicKey.export({ format: 'jwk' });
    return { keys: [{ kty: String(jwk.kty), n: String(jwk.n), e: String(jwk.e), kid: this.keyId, alg: 'RS256', use: 'sig' }] };
  }

  /** kid → PEM, the shape google-auth-library's `OAuth2Client.verifySignedJwtWithCertsAsync` takes. */
  certificates(): Record<string, string> {
    return { [this.keyId]: this.publicKeyPem };
  }
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** Google's `sub` for a service account is a 21-digit number; a stable one derived from the email stands in. */
function numericSubject(email: string): string {
  const digest = createHash('sha256').update(email).digest();
  return `1${digest.readBigUInt64BE(0).toString().padStart(20, '0').slice(0, 20)}`;
}
