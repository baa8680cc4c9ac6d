// An RSA signing key as Google publishes its own: a key id, the public key as PEM and as a JWK, and the private half.
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface SigningKey {
  /** The JWT header's `kid`: what a verifier looks the public key up by. */
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** SPKI PEM. Google serves X.509 certificates here; verifiers only need the public key, which Node reads from either. */
  readonly publicPem: string;
  readonly jwk: Readonly<Record<string, string>>;
}

export function createSigningKey(kid?: string): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const keyId = kid ?? createHash('sha256').update(publicPem).digest('hex').slice(0, 40);
  const { n, e } = publicKey.export({ format: 'jwk' });
  if (typeof n !== 'string' || typeof e !== 'string') throw new Error('createSigningKey: Node did not export an RSA JWK');
  return { kid: keyId, privateKey, publicPem, jwk: { kty: 'RSA', alg: 'RS256', use: 'sig', kid: keyId, n, e } };
}
