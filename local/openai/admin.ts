// The /_standin/* routes: let another process read the request log and change settings of a running stand-in.
import type { ServerResponse } from 'node:http';
import { sendJson, sendOpenAiError } from './http-io.js';
import type { StandInState } from './state.js';

/** GET /_standin/log: the log entries as a JSON array. */
export function handleReadLog(state: StandInState, res: ServerResponse): void {
  sendJson(res, 200, state.log.entries);
}

/** DELETE /_standin/log: empties the log. */
export function handleResetLog(state: StandInState, res: ServerResponse): void {
  state.log.clear();
  sendJson(res, 200, { ok: true });
}

/** GET /_standin/config: the current settings. */
export function handleReadConfig(state: StandInState, res: ServerResponse): void {
  sendJson(res, 200, state.settings);
}

/** POST /_standin/config: a JSON partial of the settings; answers the settings now in force, or 400 naming the bad field. */
export function handleConfigure(state: StandInState, res: ServerResponse, bodyText: string): void {
  let patch: unknown;
  try {
    patch = JSON.parse(bodyText === '' ? '{}' : bodyText);
  } catch {
    return sendOpenAiError(res, 400, { message: 'The body must be JSON', type: 'invalid_request_error', code: 'invalid_config' });
  }
  try {
    sendJson(res, 200, state.configure(patch));
  } catch (error) {
    sendOpenAiError(res, 400, { message: (error as Error).message, type: 'invalid_request_error', code: 'invalid_config' });
  }
}
