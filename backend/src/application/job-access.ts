// Who may act on a sheet or a job: an editor proven by a fresh one-time nonce (DESIGN §6), or the job's owner.
import type { Job } from '../ports/domain.js';
import type { SpreadsheetGateway } from '../ports/spreadsheet.js';
import { ForbiddenError, type Caller } from './caller.js';

export const EDIT_PROOF_REFUSED =
  'Could not confirm that you can edit this spreadsheet (the proof was missing, expired or already used). Try again from the add-on.';

/** Consumes the nonce whose hash the add-on wrote into the spreadsheet; refuses when it is missing, expired or used. */
export async function proveEditAccess(gateway: SpreadsheetGateway, spreadsheetId: string, nonce: string): Promise<void> {
  if (!(await gateway.consumeProof(spreadsheetId, nonce))) throw new ForbiddenError(EDIT_PROOF_REFUSED);
}

/**
 * A job's owner may act on it; anyone else must present a fresh proof of edit access to its spreadsheet (consumed
 * here), so sharing a job id grants nothing. A job that is not on a spreadsheet is its owner's alone.
 */
export async function authorizeJobAction(gateway: SpreadsheetGateway, job: Job, caller: Caller, proofNonce: string | undefined): Promise<void> {
  if (job.owner === caller.email) return;
  if (job.target.kind !== 'sheet' || !proofNonce) {
    throw new ForbiddenError('Only the person who started this job, or an editor of its spreadsheet with a fresh proof, may do that.');
  }
  await proveEditAccess(gateway, job.target.spreadsheetId, proofNonce);
}
