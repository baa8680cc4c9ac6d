// Compact RS256 JWS signing: header.payload.signature, each base64url, exactly what Google's ID tokens look like.
import { sign, type KeyObject } from 'node:crypto';

export function signJwt(header: Readonly<Record<string, unknown>>, payload: Readonly<Record<string, unknown>>, privateKey: KeyObject): string {
  const signingInput = `${encode(header)}.${encode(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

function encode(part: Readonly<Record<string, unknown>>): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}
