// Utilities: digests (signed bytes), UUIDs, blobs, base64, and a sleep that really blocks, as Apps Script's does.
import { createHash, randomUUID } from 'node:crypto';
import { BlobFace, toBuffer } from './blob.js';
import { enumName, enumOf } from './enums.js';

const DigestAlgorithm = enumOf('MD2', 'MD5', 'SHA_1', 'SHA_256', 'SHA_384', 'SHA_512');
const Charset = enumOf('US_ASCII', 'UTF_8');
const NODE_DIGEST: Readonly<Record<string, string>> = { MD5: 'md5', SHA_1: 'sha1', SHA_256: 'sha256', SHA_384: 'sha384', SHA_512: 'sha512' };

function bytesOf(value: unknown, charset: unknown): Buffer {
  if (typeof value === 'string') return Buffer.from(value, enumName(charset ?? 'UTF_8') === 'US_ASCII' ? 'ascii' : 'utf8');
  return toBuffer(value);
}

export function utilities() {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  return {
    DigestAlgorithm,
    Charset,
    computeDigest(algorithm: unknown, value: unknown, charset?: unknown): number[] {
      const name = NODE_DIGEST[enumName(algorithm)];
      if (!name) throw new Error(`Invalid argument: algorithm (${enumName(algorithm)})`);
      return Array.from(createHash(name).update(bytesOf(value, charset)).digest(), (b) => (b > 127 ? b - 256 : b));
    },
    getUuid: (): string => randomUUID(),
    newBlob: (data: unknown = '', contentType: string | null = null, name: string | null = null): BlobFace => new BlobFace(toBuffer(data), contentType, name),
    base64Encode: (data: unknown, charset?: unknown): string => bytesOf(data, charset).toString('base64'),
    base64Decode: (encoded: string): number[] => Array.from(Buffer.from(String(encoded), 'base64'), (b) => (b > 127 ? b - 256 : b)),
    sleep(ms: number): void {
      Atomics.wait(sleeper, 0, 0, Math.max(0, Number(ms) || 0));
    },
  };
}
