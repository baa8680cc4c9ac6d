// Authenticates /tasks/* deliveries: an OIDC token Google minted for the configured tasks service account, for this service's URL.
import { bearerToken, type AuthRequest } from './bearer-token.js';
import { CallerAuthError } from './caller-auth-error.js';
import { GoogleIdTokenVerifier } from './google-id-token-verifier.js';

export interface TaskCallerOptions {
  /** The service account Cloud Tasks signs as (the task's `oidcToken.serviceAccountEmail`). */
  readonly serviceAccount: string;
  /** The service URL; the Cloud Tasks adapter must set it as `oidcToken.audience`, or Google uses the full task URL. */
  readonly audience: string;
  readonly verifier?: GoogleIdTokenVerifier;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function verifyTaskCaller(options: TaskCallerOptions): (req: AuthRequest) => Promise<void> {
  const serviceAccount = options.serviceAccount.trim().toLowerCase();
  if (!EMAIL.test(serviceAccount)) throw new TypeError(`verifyTaskCaller: serviceAccount must be a service account email, got ${JSON.stringify(options.serviceAccount)}`);
  const audience = options.audience.trim();
  if (audience === '') throw new TypeError('verifyTaskCaller: audience must be the service URL, got ""');
  const verifier = options.verifier ?? new GoogleIdTokenVerifier();

  return async (req) => {
    const token = await verifier.verify(bearerToken(req), [audience]);
    // A token of any other Google account (a user, another service account) is authentic but not the queue.
    if (token.email?.toLowerCase() !== serviceAccount || !token.emailVerified) {
      throw new CallerAuthError('caller_not_allowed', 'Only the task queue may call /tasks.');
    }
  };
}
