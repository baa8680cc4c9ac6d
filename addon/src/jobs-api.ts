// The backend's job endpoints as the add-on uses them, with the proof of edit access where the backend asks for one.
import type { AccessView, EstimateBody, EstimateView, JobView, StartJobBody } from '../../backend/src/http/api-types.js';
import { isBackendError } from './backend-error.js';
import { callBackend } from './backend-client.js';
import { discardProof, writeProof } from './proof.js';

export type SelectionRequest = Omit<StartJobBody, 'proofNonce'>;

/**
 * Starts a job: the proof goes into the sheet first, then the request; a proof the backend did not take is removed.
 * `overwrite` is the user's consent to outputs replacing filled cells of same-named columns (else 409 output_overwrite).
 */
export function startJob(request: SelectionRequest, overwrite = false): JobView {
  const proof = writeProof();
  try {
    const body = { ...request, proofNonce: proof.nonce, ...(overwrite ? { overwrite: true } : {}) };
    return callBackend<{ job: JobView }>('post', '/v1/jobs', { body }).job;
  } catch (error) {
    discardProof(proof);
    throw error;
  }
}

export function estimate(request: EstimateBody): EstimateView {
  return callBackend<{ estimate: EstimateView }>('post', '/v1/estimate', { body: request }).estimate;
}

/**
 * Job actions are the owner's; another editor of the sheet is let in with a fresh proof. Asking without one first keeps
 * the common case (you started the job) free of sheet writes.
 */
function withProofIfForbidden<T>(call: (proof?: string) => T): T {
  try {
    return call();
  } catch (error) {
    if (!isBackendError(error, 'forbidden')) throw error;
  }
  const proof = writeProof();
  try {
    return call(proof.nonce);
  } catch (error) {
    discardProof(proof);
    throw error;
  }
}

export function sheetAccess(spreadsheetId: string): AccessView {
  return callBackend<{ access: AccessView }>('get', `/v1/sheets/${encodeURIComponent(spreadsheetId)}/access`, {}).access;
}

export function latestJob(spreadsheetId: string, sheetId: number): JobView | null {
  const path = `/v1/sheets/${encodeURIComponent(spreadsheetId)}/latest-job?sheetId=${sheetId}`;
  return withProofIfForbidden((proof) => callBackend<{ job: JobView | null }>('get', path, proof === undefined ? {} : { proof }).job);
}

export function jobStatus(jobId: string): JobView {
  return withProofIfForbidden((proof) => callBackend<{ job: JobView }>('get', `/v1/jobs/${encodeURIComponent(jobId)}`, proof === undefined ? {} : { proof }).job);
}

export function cancelJob(jobId: string): JobView {
  return withProofIfForbidden((proof) => callBackend<{ job: JobView }>('post', `/v1/jobs/${encodeURIComponent(jobId)}/cancel`, proof === undefined ? {} : { proof }).job);
}

export function resumeJob(jobId: string, budgetUsd?: number): JobView {
  const body = budgetUsd === undefined ? {} : { budgetUsd };
  return withProofIfForbidden((proof) => callBackend<{ job: JobView }>('post', `/v1/jobs/${encodeURIComponent(jobId)}/resume`, proof === undefined ? { body } : { body, proof }).job);
}

export function retryFailed(jobId: string): { job: JobView; requeued: number } {
  return withProofIfForbidden((proof) =>
    callBackend<{ job: JobView; requeued: number }>('post', `/v1/jobs/${encodeURIComponent(jobId)}/retry-failed`, proof === undefined ? {} : { proof }),
  );
}
