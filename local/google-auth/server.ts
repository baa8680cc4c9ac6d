// Starts the Google sign-in stand-in on 127.0.0.1: serves its public keys where Google serves its certificates, and mints ID tokens.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildClaims, GOOGLE_ISSUER, type IdTokenClaims, type MintIdTokenOptions } from './id-token-claims.js';
import { signJwt } from './jwt.js';
import { createSigningKey, type SigningKey } from './signing-key.js';

export type { IdTokenClaims, MintIdTokenOptions };
export { GOOGLE_ISSUER };

export interface GoogleAuthStandInOptions {
  /** TCP port on 127.0.0.1; default 0 picks a free one (read it from the URLs). */
  readonly port?: number;
}

export interface GoogleAuthStandIn {
  /** The PEM map `{ kid: pem }`, like https://www.googleapis.com/oauth2/v1/certs. */
  readonly certsUrl: string;
  /** The JWK set `{ keys: [...] }`, like https://www.googleapis.com/oauth2/v3/certs. */
  readonly jwksUrl: string;
  readonly issuer: string;
  /** The `kid` of the served key. */
  readonly keyId: string;
  /** A signed ID token with Google's claim set; options introduce exactly one defect each. */
  mintIdToken(claims: IdTokenClaims, options?: MintIdTokenOptions): string;
  /** How many times a verifier fetched the keys (either format): shows whether it caches. */
  readonly certFetches: number;
  close(): Promise<void>;
}

const PEM_PATH = '/oauth2/v1/certs';
const JWKS_PATH = '/oauth2/v3/certs';

export async function startGoogleAuthStandIn(options: GoogleAuthStandInOptions = {}): Promise<GoogleAuthStandIn> {
  const { port = 0 } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(`GoogleAuthStandIn: port must be an integer from 0 to 65535, got ${JSON.stringify(port)}`);
  }
  const served = createSigningKey();
  // Same kid as the served key: a forger would pick a real kid, so the signature check alone must catch it.
  const rogue = createSigningKey(served.kid);
  let certFetches = 0;
  const server = createServer((req, res) => {
    if (respondWithKeys(req, res, served)) certFetches += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | null = null;
  return {
    certsUrl: `${base}${PEM_PATH}`,
    jwksUrl: `${base}${JWKS_PATH}`,
    issuer: GOOGLE_ISSUER,
    keyId: served.kid,
    mintIdToken(claims, mintOptions = {}) {
      const signer = mintOptions.wrongSigner ? rogue : served;
      const payload = buildClaims(claims, mintOptions, Math.floor(Date.now() / 1000));
      return signJwt({ alg: 'RS256', kid: signer.kid, typ: 'JWT' }, payload, signer.privateKey);
    },
    get certFetches() {
      return certFetches;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Answers a key request; returns whether it was one. */
function respondWithKeys(req: IncomingMessage, res: ServerResponse, key: SigningKey): boolean {
  req.resume();
  const path = (req.url ?? '/').split('?')[0];
  let body: unknown;
  if (req.method === 'GET' && path === PEM_PATH) body = { [key.kid]: key.publicPem };
  else if (req.method === 'GET' && path === JWKS_PATH) body = { keys: [key.jwk] };
  if (body === undefined) {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found' }));
    return false;
  }
  // Google's own caching header: verifiers keep the keys this long instead of fetching per token.
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'public, max-age=3600, must-revalidate, no-transform' });
  res.end(JSON.stringify(body));
  return true;
}
