// verifyTaskCaller over real HTTP: only an OIDC token of the configured tasks service account, for the service URL, gets in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoogleIdTokenVerifier, verifyTaskCaller } from '../../../../backend/src/http/auth/index.js';
import { startGoogleAuthStandIn, type GoogleAuthStandIn, type IdTokenClaims, type MintIdTokenOptions } from '../../../../local/google-auth/server.js';
import { call, startAuthApp, type AuthApp } from './auth-harness.js';

const SERVICE_URL = 'https://rowfill-123456789.europe-west1.run.app';
const TASKS_SA = 'rowfill-tasks@my-project.iam.gserviceaccount.com';

let google: GoogleAuthStandIn;
let app: AuthApp;

beforeAll(async () => {
  google = await startGoogleAuthStandIn();
  const verifier = new GoogleIdTokenVerifier({ certificateUrls: { pem: google.certsUrl, jwk: google.jwksUrl } });
  app = await startAuthApp({ tasks: verifyTaskCaller({ serviceAccount: TASKS_SA, audience: SERVICE_URL, verifier }) });
});
afterAll(async () => {
  await app.close();
  await google.close();
});

/** Claims shaped like a Cloud Tasks OIDC token: the service account's email, its numeric id as sub and azp. */
function deliver(claims: Partial<IdTokenClaims> = {}, options: MintIdTokenOptions = {}) {
  const token = google.mintIdToken({ aud: SERVICE_URL, email: TASKS_SA, sub: '112233445566778899001', azp: '112233445566778899001', ...claims }, options);
  return call(`${app.url}/tasks/row`, token, { method: 'POST' });
}

describe('verifyTaskCaller', () => {
  it('accepts the tasks service account with the service URL as audience', async () => {
    expect(await deliver()).toEqual({ status: 200, body: { ok: true } });
  });

  it('accepts the service account email in any case', async () => {
    expect((await deliver({ email: TASKS_SA.toUpperCase() })).status).toBe(200);
  });

  it('answers 403 for another service account', async () => {
    const answer = await deliver({ email: 'someone-else@my-project.iam.gserviceaccount.com' });
    expect(answer).toMatchObject({ status: 403, body: { error: { code: 'caller_not_allowed' } } });
  });

  it("answers 403 for a person's token, even one issued for the service URL", async () => {
    expect((await deliver({ email: 'ana@example.com', hd: 'example.com' })).status).toBe(403);
  });

  it('answers 403 when the service account email is not marked verified', async () => {
    expect((await deliver({}, { unverifiedEmail: true })).status).toBe(403);
  });

  it("answers 401 for the task's full URL as audience (the adapter must set the service URL)", async () => {
    const answer = await deliver({ aud: `${SERVICE_URL}/tasks/row` });
    expect(answer).toMatchObject({ status: 401, body: { error: { code: 'wrong_audience' } } });
  });

  it("answers 401 for the add-on's identity token", async () => {
    const answer = await deliver({ aud: '1234567890-addon.apps.googleusercontent.com', email: TASKS_SA });
    expect(answer.body.error?.code).toBe('wrong_audience');
  });

  it.each([
    ['expired', { expired: true }, 'token_expired'],
    ['signed by another key', { wrongSigner: true }, 'invalid_signature'],
  ] as const)('answers 401 for a token %s', async (_case, defect, code) => {
    expect(await deliver({}, defect)).toMatchObject({ status: 401, body: { error: { code } } });
  });

  it('answers 401 without a token', async () => {
    expect(await call(`${app.url}/tasks/row`, undefined, { method: 'POST' })).toMatchObject({ status: 401, body: { error: { code: 'missing_token' } } });
  });

  it('validates its options', () => {
    expect(() => verifyTaskCaller({ serviceAccount: 'tasks', audience: SERVICE_URL })).toThrow(
      'verifyTaskCaller: serviceAccount must be a service account email, got "tasks"',
    );
    expect(() => verifyTaskCaller({ serviceAccount: TASKS_SA, audience: ' ' })).toThrow('verifyTaskCaller: audience must be the service URL, got ""');
  });
});
