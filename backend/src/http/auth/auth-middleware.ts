// Express glue: runs one authenticator before the routes, keeps the verified caller, and hands failures to the error middleware.
import type { RequestHandler } from 'express';
import type { AuthRequest } from './bearer-token.js';
import { rememberCaller, type VerifiedCaller } from './caller.js';

export type Authenticator = (req: AuthRequest) => Promise<VerifiedCaller | void>;

export function authMiddleware(authenticate: Authenticator): RequestHandler {
  // Not an async handler: an explicit then() forwards rejections to next() on any Express version, and keeps lint honest.
  return (req, _res, next) => {
    authenticate(req).then((caller) => {
      if (caller) rememberCaller(req, caller);
      next();
    }, next);
  };
}
