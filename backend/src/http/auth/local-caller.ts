// Authenticates requests to a local-mode server (`rowfill serve`): the bearer token must equal the local token, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerToken, type AuthRequest } from './bearer-token.js';
import { CallerAuthError } from './caller-auth-error.js';
import { LOCAL_CALLER, type VerifiedCaller } from './caller.js';

export interface LocalCallerOptions {
  /** From `ensureLocalToken`. The same token authorizes /v1 and /tasks: on one machine the queue is us. */
  readonly token: string;
  /** Who local jobs belong to. Default LOCAL_CALLER. */
  readonly caller?: VerifiedCaller;
}

export function verifyLocalCaller(options: LocalCallerOptions): (req: AuthRequest) => Promise<VerifiedCaller> {
  if (typeof options.token !== 'string' || options.token.length < 32) {
    throw new TypeError('verifyLocalCaller: token must be at least 32 characters (create it with ensureLocalToken)');
  }
  // Comparing digests keeps lengths equal, so neither the content nor the length of the token leaks through timing.
  const expected = digest(options.token);
  const caller = options.caller ?? LOCAL_CALLER;
  // then() turns a missing or wrong header into a rejection, never a synchronous throw out of the authenticator.
  return (req) =>
    Promise.resolve(req).then((r) => {
      if (!timingSafeEqual(digest(bearerToken(r)), expected)) {
        throw new CallerAuthError('invalid_token', 'Wrong local token: use the one in local-token next to the state file.');
      }
      return caller;
    });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
