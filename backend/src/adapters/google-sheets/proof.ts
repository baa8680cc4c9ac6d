// Proof of edit access (DESIGN §6): the add-on leaves sha256(nonce) as document-level metadata; it is checked, then deleted.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { sheets_v4 } from '@googleapis/sheets';
import { PROOF_KEY } from './column-tags.js';

export function proofHash(nonce: string): string {
  return createHash('sha256').update(nonce, 'utf8').digest('hex');
}

function sameHash(stored: string, expected: string): boolean {
  const a = Buffer.from(stored.trim().toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface ProofLookup {
  readonly matched: boolean;
  /** Every `rowfill.proof` entry found; all are deleted, so none outlives one check and none piles up toward the 30,000-character limit. */
  readonly metadataIds: readonly number[];
}

/** The lookup that finds the proof entries; a job start adds it to the search for its tagged columns, so one read finds both. */
export const PROOF_FILTER: sheets_v4.Schema$DataFilter = { developerMetadataLookup: { metadataKey: PROOF_KEY, locationType: 'SPREADSHEET' } };

/** The proof entries in a metadata search's answer, and whether one holds sha256(nonce). */
export function proofIn(response: sheets_v4.Schema$SearchDeveloperMetadataResponse, nonce: string): ProofLookup {
  const expected = proofHash(nonce);
  const entries = (response.matchedDeveloperMetadata ?? [])
    .map((m) => m.developerMetadata)
    .filter((m): m is sheets_v4.Schema$DeveloperMetadata => m?.metadataKey === PROOF_KEY && m.location?.locationType === 'SPREADSHEET');
  return {
    matched: entries.some((m) => typeof m.metadataValue === 'string' && sameHash(m.metadataValue, expected)),
    metadataIds: entries.map((m) => m.metadataId).filter((id): id is number => typeof id === 'number'),
  };
}

export async function findProof(sheets: sheets_v4.Sheets, spreadsheetId: string, nonce: string): Promise<ProofLookup> {
  const { data } = await sheets.spreadsheets.developerMetadata.search({ spreadsheetId, requestBody: { dataFilters: [PROOF_FILTER] } });
  return proofIn(data, nonce);
}

export function deleteProofRequests(metadataIds: readonly number[]): sheets_v4.Schema$Request[] {
  return metadataIds.map((metadataId) => ({ deleteDeveloperMetadata: { dataFilter: { developerMetadataLookup: { metadataId } } } }));
}
