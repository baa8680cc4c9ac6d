// The stand-in's API key check: a missing bearer key or the configured reject key gets OpenAI's 401.
import type { IncomingMessage } from 'node:http';
import type { OpenAiErrorFields } from './http-io.js';

/** The 401 error to send, or null when the key is acceptable. Any other non-empty key is accepted. */
export function authFailure(req: IncomingMessage, rejectKey: string): OpenAiErrorFields | null {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  const key = match?.[1]?.trim() ?? '';
  if (key === '') {
    return {
      message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      type: 'invalid_request_error',
      code: 'invalid_api_key',
    };
  }
  if (key !== rejectKey) return null;
  return {
    message: `Incorrect API key provided: ${redact(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  };
}

function redact(key: string): string {
  return key.length <= 8 ? '****' : `${key.slice(0, 4)}****${key.slice(-4)}`;
}
