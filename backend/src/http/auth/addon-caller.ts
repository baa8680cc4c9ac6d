// Authenticates the add-on's caller: a Google ID token from ScriptApp.getIdentityToken(), then email_verified, then the allowlist.
import { compileAllowlist } from './allowlist.js';
import { bearerToken, type AuthRequest } from './bearer-token.js';
import { CallerAuthError } from './caller-auth-error.js';
import type { VerifiedCaller } from './caller.js';
import { GoogleIdTokenVerifier } from './google-id-token-verifier.js';

export interface AddonCallerOptions {
  /** The add-on's OAuth client id(s): the `aud` of its identity tokens. */
  readonly clientIds: readonly string[];
  /** `*`, domains and/or emails; an empty list lets nobody in. */
  readonly allowlist: readonly string[];
  /** Share one verifier across authenticators so Google's keys are fetched once. Default: one that trusts Google. */
  readonly verifier?: GoogleIdTokenVerifier;
}

export function verifyAddonCaller(options: AddonCallerOptions): (req: AuthRequest) => Promise<VerifiedCaller> {
  const clientIds = options.clientIds.map((id) => id.trim()).filter((id) => id !== '');
  if (clientIds.length === 0) throw new TypeError('verifyAddonCaller: clientIds must list at least one OAuth client id');
  const allowlist = compileAllowlist(options.allowlist);
  const verifier = options.verifier ?? new GoogleIdTokenVerifier();

  return async (req) => {
    const token = await verifier.verify(bearerToken(req), clientIds);
    if (token.email === undefined) {
      throw new CallerAuthError('invalid_token', 'The identity token carries no email; the add-on must request the userinfo.email scope.');
    }
    if (!token.emailVerified) throw new CallerAuthError('email_unverified', `Google has not verified ${token.email}.`);
    if (!allowlist.allows({ email: token.email, hostedDomain: token.hostedDomain })) {
      throw new CallerAuthError('caller_not_allowed', `${token.email} is not allowed to use this Rowfill server; ask its administrator to add you.`);
    }
    return { email: token.email.toLowerCase(), subject: token.subject };
  };
}
