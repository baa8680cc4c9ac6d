// The /_standin/* routes: read the request log and the billing counter, change settings of a running stand-in.
import type { ServerResponse } from 'node:http';
import { sendJson, sendTavilyError } from './http-io.js';
import type { SearchStandInState } from './state.js';

/** Answers an admin route, or returns false when `key` is not one. */
export function handleAdmin(state: SearchStandInState, res: ServerResponse, key: string, bodyText: string | null): boolean {
  if (key === 'GET /_standin/log') sendJson(res, 200, state.log.entries);
  else if (key === 'DELETE /_standin/log') {
    state.log.clear();
    sendJson(res, 200, { ok: true });
  } else if (key === 'GET /_standin/usage') sendJson(res, 200, state.log.usage);
  else if (key === 'GET /_standin/config') sendJson(res, 200, state.settings);
  else if (key === 'POST /_standin/config') {
    let patch: unknown;
    try {
      patch = JSON.parse(bodyText === null || bodyText === '' ? '{}' : bodyText);
    } catch {
      sendTavilyError(res, 400, 'The body must be JSON');
      return true;
    }
    try {
      sendJson(res, 200, state.configure(patch));
    } catch (error) {
      sendTavilyError(res, 400, (error as Error).message);
    }
  } else return false;
  return true;
}
