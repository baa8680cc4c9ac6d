// Proof of edit access (DESIGN §6): a one-time nonce whose sha256 is left as document-level developer metadata before a request.
import { bytesToHex } from './hex.js';

export const PROOF_KEY = 'rowfill.proof';

export interface Proof {
  readonly nonce: string;
  readonly hash: string;
}

/** 64 hex characters from two v4 UUIDs: Utilities.getUuid is the only secure random source Apps Script offers. */
function newNonce(): string {
  return (Utilities.getUuid() + Utilities.getUuid()).replace(/-/g, '').toLowerCase();
}

export function sha256Hex(text: string): string {
  return bytesToHex(Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, text, Utilities.Charset.UTF_8));
}

/**
 * Writes the proof through SpreadsheetApp, which only an editor can do, and flushes so the backend's read sees it.
 * Document visibility is what lets the backend's own project (another Cloud project) read it.
 */
export function writeProof(): Proof {
  const nonce = newNonce();
  const hash = sha256Hex(nonce);
  SpreadsheetApp.getActiveSpreadsheet().addDeveloperMetadata(PROOF_KEY, hash, SpreadsheetApp.DeveloperMetadataVisibility.DOCUMENT);
  SpreadsheetApp.flush();
  return { nonce, hash };
}

/** Removes a proof the backend never consumed (it was unreachable, or refused before checking), so none linger. */
export function discardProof(proof: Proof): void {
  for (const meta of SpreadsheetApp.getActiveSpreadsheet().getDeveloperMetadata()) {
    if (meta.getKey() === PROOF_KEY && meta.getValue() === proof.hash) meta.remove();
  }
}
