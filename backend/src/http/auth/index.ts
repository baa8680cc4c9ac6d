// Caller authentication for the HTTP app: the add-on (Google ID token), Cloud Tasks (OIDC), and local mode (a file token).
export { verifyAddonCaller, type AddonCallerOptions } from './addon-caller.js';
export { compileAllowlist, type Allowlist, type AllowlistSubject } from './allowlist.js';
export { authMiddleware, type Authenticator } from './auth-middleware.js';
export { bearerToken, type AuthRequest } from './bearer-token.js';
export { CALLER_AUTH_STATUS, CallerAuthError, type CallerAuthCode, type CallerAuthStatus } from './caller-auth-error.js';
export { authenticatedCaller, LOCAL_CALLER, type VerifiedCaller } from './caller.js';
export { GOOGLE_ISSUERS, GoogleIdTokenVerifier, type GoogleCertificateUrls, type GoogleIdTokenVerifierOptions, type VerifiedIdToken } from './google-id-token-verifier.js';
export { verifyLocalCaller, type LocalCallerOptions } from './local-caller.js';
export { ensureLocalToken, localTokenPathFor } from './local-token.js';
export { verifyTaskCaller, type TaskCallerOptions } from './task-caller.js';
