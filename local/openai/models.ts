// GET /v1/models and GET /v1/models/:id, answering from the configured list of known model ids.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authFailure } from './auth.js';
import { sendJson, sendOpenAiError } from './http-io.js';
import type { StandInState } from './state.js';

/** A fixed creation time keeps responses byte-for-byte stable. */
const CREATED = 1_700_000_000;

function modelObject(id: string): Record<string, unknown> {
  return { id, object: 'model', created: CREATED, owned_by: 'openai' };
}

export function handleListModels(state: StandInState, req: IncomingMessage, res: ServerResponse): void {
  const denied = authFailure(req, state.settings.rejectKey);
  if (denied) return sendOpenAiError(res, 401, denied, state.responseHeaders());
  sendJson(res, 200, { object: 'list', data: state.settings.models.map(modelObject) }, state.responseHeaders());
}

export function handleRetrieveModel(state: StandInState, req: IncomingMessage, res: ServerResponse, id: string): void {
  const denied = authFailure(req, state.settings.rejectKey);
  if (denied) return sendOpenAiError(res, 401, denied, state.responseHeaders());
  if (!state.settings.models.includes(id)) {
    const message = `The model '${id}' does not exist`;
    return sendOpenAiError(res, 404, { message, type: 'invalid_request_error', code: 'model_not_found', param: 'model' }, state.responseHeaders());
  }
  sendJson(res, 200, modelObject(id), state.responseHeaders());
}
