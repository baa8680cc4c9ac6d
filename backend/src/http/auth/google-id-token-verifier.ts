// Verifies a Google-signed ID token with google-auth-library: signature, expiry, issuer and audience, keys cached per their max-age.
import { OAuth2Client } from 'google-auth-library';
import { CallerAuthError } from './caller-auth-error.js';
import { classifyVerifyError } from './classify-verify-error.js';

/** Google's two spellings of its issuer; the library's default list also admits the universe domain, which never signs ID tokens. */
export const GOOGLE_ISSUERS: readonly string[] = ['accounts.google.com', 'https://accounts.google.com'];

export interface GoogleCertificateUrls {
  /** `{ kid: pem }`, fetched by the library under Node. */
  readonly pem: string;
  /** `{ keys: [jwk] }`, fetched by the library where only WebCrypto exists. */
  readonly jwk: string;
}

export interface GoogleIdTokenVerifierOptions {
  /**
   * Tests and dev wiring only: fetch signing keys from a local stand-in instead of Google. It must be a loopback URL,
   * so no configuration mistake can make production trust someone else's keys. Production passes nothing.
   */
  readonly certificateUrls?: GoogleCertificateUrls;
}

export interface VerifiedIdToken {
  readonly subject: string;
  readonly audience: string;
  readonly email: string | undefined;
  readonly emailVerified: boolean;
  /** The `hd` claim: the Workspace / Cloud Identity domain that manages the account, absent for consumer accounts. */
  readonly hostedDomain: string | undefined;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class GoogleIdTokenVerifier {
  private readonly client: OAuth2Client;

  constructor(options: GoogleIdTokenVerifierOptions = {}) {
    const urls = options.certificateUrls;
    if (urls !== undefined) {
      assertLoopback('pem', urls.pem);
      assertLoopback('jwk', urls.jwk);
    }
    this.client = new OAuth2Client({
      issuers: [...GOOGLE_ISSUERS],
      ...(urls && { endpoints: { oauth2FederatedSignonPemCertsUrl: urls.pem, oauth2FederatedSignonJwkCertsUrl: urls.jwk } }),
    });
  }

  async verify(token: string, audiences: readonly string[]): Promise<VerifiedIdToken> {
    if (audiences.length === 0) throw new TypeError('GoogleIdTokenVerifier.verify: audiences must list at least one audience');
    let payload;
    try {
      payload = (await this.client.verifyIdToken({ idToken: token, audience: [...audiences] })).getPayload();
    } catch (error) {
      throw classifyVerifyError(error);
    }
    if (payload === undefined || typeof payload.sub !== 'string' || payload.sub === '' || typeof payload.aud !== 'string') {
      throw new CallerAuthError('invalid_token', 'The identity token has no subject or audience.');
    }
    return {
      subject: payload.sub,
      audience: payload.aud,
      email: typeof payload.email === 'string' && payload.email !== '' ? payload.email : undefined,
      // Some Google tokens have carried the string "true"; anything else is not a verification.
      emailVerified: (payload.email_verified as unknown) === true || (payload.email_verified as unknown) === 'true',
      hostedDomain: typeof payload.hd === 'string' && payload.hd !== '' ? payload.hd : undefined,
    };
  }
}

function assertLoopback(name: string, url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !(parsed.protocol === 'http:' || parsed.protocol === 'https:') || !LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw new TypeError(`GoogleIdTokenVerifier: certificateUrls.${name} must be an http(s) URL on 127.0.0.1 (a local stand-in), got ${JSON.stringify(url)}`);
  }
}
