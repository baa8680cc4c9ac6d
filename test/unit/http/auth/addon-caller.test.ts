// verifyAddonCaller over real HTTP, with google-auth-library verifying tokens signed by the local Google stand-in.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GoogleIdTokenVerifier, verifyAddonCaller, type AddonCallerOptions } from '../../../../backend/src/http/auth/index.js';
import { startGoogleAuthStandIn, type GoogleAuthStandIn } from '../../../../local/google-auth/server.js';
import { call, startAuthApp, type AuthApp } from './auth-harness.js';

const CLIENT_ID = '1234567890-addon.apps.googleusercontent.com';

let google: GoogleAuthStandIn;
let app: AuthApp | undefined;

beforeAll(async () => {
  google = await startGoogleAuthStandIn();
});
afterAll(() => google.close());
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function verifierFor(standIn: GoogleAuthStandIn): GoogleIdTokenVerifier {
  return new GoogleIdTokenVerifier({ certificateUrls: { pem: standIn.certsUrl, jwk: standIn.jwksUrl } });
}

async function whoami(token: string | undefined, options: Partial<AddonCallerOptions> = {}, authorization?: string) {
  app = await startAuthApp({ v1: verifyAddonCaller({ clientIds: [CLIENT_ID], allowlist: ['example.com'], verifier: verifierFor(google), ...options }) });
  return call(`${app.url}/v1/whoami`, token, authorization === undefined ? {} : { authorization });
}

const ana = { aud: CLIENT_ID, email: 'ana@example.com', hd: 'example.com' };

describe('verifyAddonCaller', () => {
  it('accepts a valid token from an allowed Workspace domain and hands the route { email, subject }', async () => {
    const answer = await whoami(google.mintIdToken({ ...ana, sub: '104560000000000000001' }));
    expect(answer).toEqual({ status: 200, body: { email: 'ana@example.com', subject: '104560000000000000001' } });
  });

  it('accepts any of several client ids', async () => {
    const other = '999-other.apps.googleusercontent.com';
    const answer = await whoami(google.mintIdToken({ ...ana, aud: other }), { clientIds: [CLIENT_ID, other] });
    expect(answer.status).toBe(200);
  });

  it.each([
    ['no Authorization header', undefined, undefined, 'missing_token'],
    ['a non-Bearer header', undefined, 'Basic YW5hOnNlY3JldA==', 'malformed_token'],
    ['a token that is not a JWT', 'not-a-jwt', undefined, 'malformed_token'],
  ])('answers 401 for %s', async (_case, token, authorization, code) => {
    const answer = await whoami(token, {}, authorization);
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe(code);
  });

  it.each([
    ['an expired token', { expired: true }, 'token_expired'],
    ['a token for another audience', { wrongAudience: true }, 'wrong_audience'],
    ['a token signed by another key', { wrongSigner: true }, 'invalid_signature'],
  ] as const)('answers 401 for %s', async (_case, defect, code) => {
    const token = google.mintIdToken(ana, defect);
    const answer = await whoami(token);
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe(code);
    expect(answer.body.error?.message).not.toContain(token.split('.')[1]!);
  });

  it('answers 401 for a token from another issuer', async () => {
    const answer = await whoami(google.mintIdToken({ ...ana, iss: 'https://issuer.example' }));
    expect(answer).toMatchObject({ status: 401, body: { error: { code: 'wrong_issuer' } } });
  });

  it('answers 403 for an unverified email', async () => {
    const answer = await whoami(google.mintIdToken(ana, { unverifiedEmail: true }));
    expect(answer).toMatchObject({ status: 403, body: { error: { code: 'email_unverified' } } });
  });

  it('answers 403 for a Workspace domain that is not allowed', async () => {
    const answer = await whoami(google.mintIdToken({ aud: CLIENT_ID, email: 'eve@other.org', hd: 'other.org' }));
    expect(answer).toMatchObject({ status: 403, body: { error: { code: 'caller_not_allowed', message: expect.stringContaining('eve@other.org') as string } } });
  });

  it('does not let a consumer account in on the email domain alone (no hd claim)', async () => {
    const answer = await whoami(google.mintIdToken({ aud: CLIENT_ID, email: 'mallory@example.com' }));
    expect(answer).toMatchObject({ status: 403, body: { error: { code: 'caller_not_allowed' } } });
  });

  it('allows a listed email, whatever its case', async () => {
    const answer = await whoami(google.mintIdToken({ aud: CLIENT_ID, email: 'Bob@Gmail.com' }), { allowlist: ['bob@gmail.com'] });
    expect(answer).toMatchObject({ status: 200, body: { email: 'bob@gmail.com' } });
  });

  it('denies everyone when the allowlist is empty, and allows every verified account with "*"', async () => {
    const token = google.mintIdToken(ana);
    expect((await whoami(token, { allowlist: [] })).status).toBe(403);
    await app?.close();
    expect((await whoami(token, { allowlist: ['*'] })).status).toBe(200);
  });

  it('still refuses an unverified email when the allowlist is "*"', async () => {
    const answer = await whoami(google.mintIdToken(ana, { unverifiedEmail: true }), { allowlist: ['*'] });
    expect(answer.status).toBe(403);
  });

  it('fetches the keys once and reuses them for later tokens', async () => {
    const verifier = verifierFor(google);
    const before = google.certFetches;
    app = await startAuthApp({ v1: verifyAddonCaller({ clientIds: [CLIENT_ID], allowlist: ['*'], verifier }) });
    for (let i = 0; i < 3; i++) expect((await call(`${app.url}/v1/whoami`, google.mintIdToken(ana))).status).toBe(200);
    expect(google.certFetches - before).toBe(1);
  });

  it("answers 503 when Google's keys cannot be fetched", async () => {
    const gone = await startGoogleAuthStandIn();
    const token = gone.mintIdToken(ana);
    const verifier = verifierFor(gone);
    await gone.close();
    app = await startAuthApp({ v1: verifyAddonCaller({ clientIds: [CLIENT_ID], allowlist: ['*'], verifier }) });
    const answer = await call(`${app.url}/v1/whoami`, token);
    expect(answer).toMatchObject({ status: 503, body: { error: { code: 'auth_unavailable' } } });
  });
});

describe('verifyAddonCaller options', () => {
  it('needs at least one client id', () => {
    expect(() => verifyAddonCaller({ clientIds: [' '], allowlist: ['*'] })).toThrow('verifyAddonCaller: clientIds must list at least one OAuth client id');
  });

  it('rejects an allowlist entry that is neither a domain nor an email', () => {
    expect(() => verifyAddonCaller({ clientIds: [CLIENT_ID], allowlist: ['not a domain'] })).toThrow(
      'allowlist: entry "not a domain" is not "*", a domain (example.com) or an email (ana@example.com)',
    );
  });

  it('only lets the key source point at a loopback stand-in', () => {
    expect(() => new GoogleIdTokenVerifier({ certificateUrls: { pem: 'https://keys.example.com/certs', jwk: 'http://127.0.0.1:1/jwks' } })).toThrow(
      'GoogleIdTokenVerifier: certificateUrls.pem must be an http(s) URL on 127.0.0.1 (a local stand-in), got "https://keys.example.com/certs"',
    );
  });
});
