// Fresh row anchors: short random ids, unguessable enough that two rows never share one by chance.
import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** 10 base36 characters (~52 bits). */
export function randomRowId(): string {
  let id = '';
  for (let i = 0; i < 10; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
