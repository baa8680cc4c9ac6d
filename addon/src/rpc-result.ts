// Runs a sidebar call and turns a BackendError into an error result; any other exception is a bug and stays one.
import { isBackendError } from './backend-error.js';
import { alreadyRunning } from './messages.js';
import type { RpcError, RpcResult } from './sidebar-api.js';

export function toRpcError(error: unknown): RpcError | null {
  if (!isBackendError(error)) return null;
  // The backend's "a job is already running on this sheet" (409 job_running); say it the same way the menu does.
  if (error.code === 'job_running') return { code: 'already_running', message: alreadyRunning(null) };
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
