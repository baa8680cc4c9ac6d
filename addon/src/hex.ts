// Bytes to lowercase hex: Apps Script digests come back as signed bytes (-128…127).

export function bytesToHex(bytes: readonly number[]): string {
  let out = '';
  for (const b of bytes) out += ((b + 256) % 256).toString(16).padStart(2, '0');
  return out;
}
