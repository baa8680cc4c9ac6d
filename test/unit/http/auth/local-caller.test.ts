// verifyLocalCaller over real HTTP: the local token opens both /v1 and /tasks; anything else is a 401.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLocalToken, LOCAL_CALLER, verifyLocalCaller } from '../../../../backend/src/http/auth/index.js';
import { call, startAuthApp, type AuthApp } from './auth-harness.js';

let dir: string;
let token: string;
let app: AuthApp;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rowfill-local-'));
  token = await ensureLocalToken(join(dir, 'local-token'));
  const local = verifyLocalCaller({ token });
  app = await startAuthApp({ v1: local, tasks: local });
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('verifyLocalCaller', () => {
  it('listens where the test put it: loopback only', () => {
    expect(new URL(app.url).hostname).toBe('127.0.0.1');
  });

  it('lets the local token in as the local owner', async () => {
    expect(await call(`${app.url}/v1/whoami`, token)).toEqual({ status: 200, body: LOCAL_CALLER });
  });

  it('authorizes /tasks with the same token', async () => {
    expect(await call(`${app.url}/tasks/row`, token, { method: 'POST' })).toEqual({ status: 200, body: { ok: true } });
  });

  it.each([
    ['a wrong token', `${'x'.repeat(43)}`],
    ['the token with one character changed', 'flip'],
    ['a prefix of the token', 'prefix'],
  ])('answers 401 for %s', async (_case, kind) => {
    const presented = kind === 'flip' ? `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` : kind === 'prefix' ? token.slice(0, 20) : kind;
    const v1 = await call(`${app.url}/v1/whoami`, presented);
    const tasks = await call(`${app.url}/tasks/row`, presented, { method: 'POST' });
    expect(v1).toMatchObject({ status: 401, body: { error: { code: 'invalid_token' } } });
    expect(tasks.status).toBe(401);
  });

  it('answers 401 without a token', async () => {
    expect(await call(`${app.url}/v1/whoami`)).toMatchObject({ status: 401, body: { error: { code: 'missing_token' } } });
  });

  it('refuses a short token at wiring time', () => {
    expect(() => verifyLocalCaller({ token: 'short' })).toThrow('verifyLocalCaller: token must be at least 32 characters (create it with ensureLocalToken)');
  });
});
