// A tiny Express app per test: one authenticator in front of /v1/whoami and /tasks/row, served on 127.0.0.1, hit with fetch.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { authMiddleware, authenticatedCaller, CallerAuthError, type Authenticator } from '../../../../backend/src/http/auth/index.js';

export interface AuthApp {
  readonly url: string;
  close(): Promise<void>;
}

export interface AuthAnswer {
  readonly status: number;
  readonly body: { readonly email?: string; readonly subject?: string; readonly ok?: boolean; readonly error?: { readonly code: string; readonly message: string } };
}

/** Mounts `v1` on /v1 and `tasks` on /tasks (either may be omitted), with a minimal error middleware like the app's. */
export async function startAuthApp(auth: { readonly v1?: Authenticator; readonly tasks?: Authenticator }): Promise<AuthApp> {
  const app = express();
  if (auth.v1) app.use('/v1', authMiddleware(auth.v1));
  if (auth.tasks) app.use('/tasks', authMiddleware(auth.tasks));
  app.get('/v1/whoami', (req, res) => {
    res.json(authenticatedCaller(req));
  });
  app.post('/tasks/row', (_req, res) => {
    res.json({ ok: true });
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    if (error instanceof CallerAuthError) res.status(error.status).json({ error: { code: error.code, message: error.message } });
    else res.status(500).json({ error: { code: 'internal', message: 'unexpected' } });
  };
  app.use(onError);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function call(url: string, token?: string, init: { readonly method?: string; readonly authorization?: string } = {}): Promise<AuthAnswer> {
  const headers: Record<string, string> = {};
  const authorization = init.authorization ?? (token === undefined ? undefined : `Bearer ${token}`);
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(url, { method: init.method ?? 'GET', headers });
  return { status: res.status, body: (await res.json()) as AuthAnswer['body'] };
}
