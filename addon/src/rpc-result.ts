// Runs a sidebar call and turns a BackendError into an error result; any other exception is a bug and stays one.
import { isBackendError } from './backend-error.js';
import { alreadyRunning } from './messages.js';
import type { FieldError } from './settings-model.js';
import type { RpcError, RpcResult } from './sidebar-api.js';

/** The backend's config paths that the sidebar names differently. */
const FIELD_OF_PATH: Readonly<Record<string, string>> = {
  'price.input': 'priceInput',
  'price.output': 'priceOutput',
  price: 'priceInput',
  research: 'researchEnabled',
  'research.enabled': 'researchEnabled',
  'research.maxSearches': 'maxSearches',
  'research.maxPages': 'maxPages',
};

/**
 * The engine reports config problems one per line as `path: message` (`model: no price is known for "gpt-9"; …`); each
 * becomes an error on its sidebar field. Lines without a path stay in the message only.
 */
export function configFields(message: string): FieldError[] {
  return message.split('\n').flatMap((line) => {
    const match = /^([A-Za-z][\w.]*): (.+)$/.exec(line.trim());
    if (!match || match[1] === 'config') return [];
    const path = match[1] ?? '';
    return [{ field: FIELD_OF_PATH[path] ?? path, message: match[2] ?? '' }];
  });
}

export function toRpcError(error: unknown): RpcError | null {
  if (!isBackendError(error)) return null;
  // The backend's "a job is already running on this sheet" (409 job_running); say it the same way the menu does.
  if (error.code === 'job_running') return { code: 'already_running', message: alreadyRunning(null) };
  if (error.code === 'invalid_config') {
    const fields = configFields(error.message);
    if (fields.length > 0) return { code: error.code, message: fields.map((f) => f.message).join(' '), fields };
  }
  // A model the provider does not serve, or (older backends) one with no price: the fix is on the Model field.
  if (error.code === 'model_unavailable' || error.code === 'unknown_price') return { code: error.code, message: error.message, fields: [{ field: 'model', message: error.message }] };
  return { code: error.code, message: error.message };
}

export function rpc<T>(run: () => T): RpcResult<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    const rpcError = toRpcError(error);
    if (rpcError === null) throw error;
    return { ok: false, error: rpcError };
  }
}

export function failure<T>(error: RpcError): RpcResult<T> {
  return { ok: false, error };
}
