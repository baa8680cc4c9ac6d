// The Google sign-in stand-in serves its key in both formats Google uses, and mints tokens with Google's claim set.
import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHttp } from '../../../../backend/src/http/error-middleware.js';
import { CallerAuthError } from '../../../../backend/src/http/auth/index.js';
import { startGoogleAuthStandIn, type GoogleAuthStandIn } from '../../../../local/google-auth/server.js';

let google: GoogleAuthStandIn;

beforeAll(async () => {
  google = await startGoogleAuthStandIn();
});
afterAll(() => google.close());

function decode(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signed: string; signature: Buffer } {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: json(header), payload: json(payload), signed: `${header}.${payload}`, signature: Buffer.from(signature, 'base64url') };
}

describe('Google auth stand-in', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(new URL(google.certsUrl).hostname).toBe('127.0.0.1');
    expect(new URL(google.jwksUrl).hostname).toBe('127.0.0.1');
  });

  it('mints a token whose signature checks out against both the PEM map and the JWK set', async () => {
    const token = decode(google.mintIdToken({ aud: 'client.apps.googleusercontent.com', email: 'ana@example.com' }));
    const pems = (await (await fetch(google.certsUrl)).json()) as Record<string, string>;
    const jwks = (await (await fetch(google.jwksUrl)).json()) as { keys: Array<Record<string, string>> };
    expect(token.header).toEqual({ alg: 'RS256', kid: google.keyId, typ: 'JWT' });
    const pem = pems[google.keyId]!;
    const jwk = jwks.keys.find((k) => k.kid === google.keyId)!;
    expect(verify('sha256', Buffer.from(token.signed), createPublicKey(pem), token.signature)).toBe(true);
    expect(verify('sha256', Buffer.from(token.signed), createPublicKey({ key: jwk, format: 'jwk' }), token.signature)).toBe(true);
  });

  it("fills in Google's claims", () => {
    const now = Math.floor(Date.now() / 1000);
    const { payload } = decode(google.mintIdToken({ aud: 'client.apps.googleusercontent.com', email: 'ana@example.com', hd: 'example.com' }));
    expect(payload).toMatchObject({ iss: 'https://accounts.google.com', aud: 'client.apps.googleusercontent.com', azp: 'client.apps.googleusercontent.com', email: 'ana@example.com', email_verified: true, hd: 'example.com' });
    expect(payload.sub).toMatch(/^1\d{20}$/);
    expect(payload.iat).toBeGreaterThanOrEqual(now - 1);
    expect(payload.exp).toBe((payload.iat as number) + 3600);
  });

  it('gives one email one subject', () => {
    const sub = (email: string) => decode(google.mintIdToken({ aud: 'a.apps.googleusercontent.com', email })).payload.sub;
    expect(sub('ana@example.com')).toBe(sub('ana@example.com'));
    expect(sub('ana@example.com')).not.toBe(sub('bob@example.com'));
  });

  it('signs a wrong-signer token under the served kid with a key it never serves', async () => {
    const token = decode(google.mintIdToken({ aud: 'a.apps.googleusercontent.com' }, { wrongSigner: true }));
    const pems = (await (await fetch(google.certsUrl)).json()) as Record<string, string>;
    expect(token.header.kid).toBe(google.keyId);
    expect(verify('sha256', Buffer.from(token.signed), createPublicKey(pems[google.keyId]!), token.signature)).toBe(false);
  });

  it("makes an expired token expired beyond verifiers' five minutes of clock skew", () => {
    const now = Math.floor(Date.now() / 1000);
    const { payload } = decode(google.mintIdToken({ aud: 'a.apps.googleusercontent.com' }, { expired: true }));
    expect(payload.exp).toBeLessThan(now - 300);
  });

  it('validates what it is asked to mint', () => {
    expect(() => google.mintIdToken({ aud: '' })).toThrow('mintIdToken: claims.aud must be a non-empty string');
    expect(() => google.mintIdToken({ aud: 'a' }, { lifetimeSeconds: 0 })).toThrow('mintIdToken: options.lifetimeSeconds must be an integer from 1 to 86400, got 0');
  });
});

describe("the app's error mapping", () => {
  it('answers a CallerAuthError with its own status and code', () => {
    expect(toHttp(new CallerAuthError('token_expired', 'expired'))).toEqual({ status: 401, code: 'token_expired', message: 'expired' });
    expect(toHttp(new CallerAuthError('caller_not_allowed', 'no'))).toEqual({ status: 403, code: 'caller_not_allowed', message: 'no' });
    expect(toHttp(new CallerAuthError('auth_unavailable', 'later'))).toEqual({ status: 503, code: 'auth_unavailable', message: 'later' });
  });
});
