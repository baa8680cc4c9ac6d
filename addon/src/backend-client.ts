// Calls to the Rowfill backend through UrlFetchApp: identity token, JSON both ways, failures as BackendError.
import type { ApiErrorBody } from '../../backend/src/http/api-types.js';
import { BackendError } from './backend-error.js';
import { SETUP_NEEDED, unreachable } from './messages.js';
import { backendUrl } from './script-config.js';

/** Lets a caller who is not the job's owner act on it (DESIGN §6); the backend reads it from this header on every job route. */
const PROOF_HEADER = 'X-Rowfill-Proof';

export interface CallOptions {
  readonly body?: unknown;
  /** A fresh proof nonce, for actions on a job the caller does not own. */
  readonly proof?: string;
}

function identityToken(): string {
  const token = ScriptApp.getIdentityToken();
  if (!token) {
    throw new BackendError('no_identity', 401, 'Rowfill could not get your Google sign-in. Reload the spreadsheet and allow Rowfill access when asked.');
  }
  return token;
}

function errorOf(status: number, text: string): BackendError {
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (body.error && typeof body.error.code === 'string' && typeof body.error.message === 'string') {
      return new BackendError(body.error.code, status, body.error.message);
    }
  } catch {
    // Not our JSON: a proxy or load balancer answered (Cloud Run's 502/504 pages); say what we know.
  }
  if (status === 401) return new BackendError('unauthorized', status, 'The backend did not accept your sign-in. Ask your administrator to allow your account.');
  return new BackendError(`http_${status}`, status, `The backend answered HTTP ${status}. Try again in a minute.`);
}

export function callBackend<T>(method: 'get' | 'post', path: string, options: CallOptions = {}): T {
  const base = backendUrl();
  if (base === null) throw new BackendError('not_configured', 0, SETUP_NEEDED);
  const headers: Record<string, string> = { Authorization: `Bearer ${identityToken()}` };
  if (options.proof !== undefined) headers[PROOF_HEADER] = options.proof;
  const params: GoogleAppsScript.URL_Fetch.URLFetchRequestOptions = { method, headers, muteHttpExceptions: true, followRedirects: false };
  if (method === 'post') {
    params.contentType = 'application/json';
    params.payload = JSON.stringify(options.body ?? {});
  }
  let response: GoogleAppsScript.URL_Fetch.HTTPResponse;
  try {
    response = UrlFetchApp.fetch(base + path, params);
  } catch (error) {
    // With muteHttpExceptions, UrlFetchApp throws only when no answer came back: DNS, refused, timed out.
    throw new BackendError('unreachable', 0, unreachable(base, error instanceof Error ? error.message : String(error)));
  }
  const status = response.getResponseCode();
  const text = response.getContentText();
  if (status < 200 || status >= 300) throw errorOf(status, text);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new BackendError('bad_response', status, `The backend at ${base} answered something that is not JSON; is ${base} really Rowfill's backend?`);
  }
}
