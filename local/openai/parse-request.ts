// Checks a chat completion body the way OpenAI does before any work: valid JSON, a model, messages, a usable format.
import type { OpenAiErrorFields } from './http-io.js';
import { isRecord, type WireMessage } from './row-inputs.js';
import { toolMessageProblem, type ToolRequest } from './tool-calls.js';

export type ParsedRequest = { readonly ok: true; readonly request: ToolRequest } | { readonly ok: false; readonly error: OpenAiErrorFields };

export function parseChatRequest(text: string): ParsedRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return invalid('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)', null);
  }
  if (!isRecord(body)) return invalid('The request body must be a JSON object.', null);
  if (typeof body.model !== 'string' || body.model === '') return invalid('you must provide a model parameter', 'model');
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0) return invalid("Missing required parameter: 'messages'.", 'messages');
  if (!messages.every((m: unknown) => isRecord(m) && typeof m.role === 'string')) {
    return invalid("Invalid 'messages': every message needs a string 'role'.", 'messages');
  }
  const format = body.response_format;
  if (isRecord(format) && format.type === 'json_schema') {
    const spec = format.json_schema;
    if (!isRecord(spec) || typeof spec.name !== 'string' || spec.name === '') {
      return invalid("Missing required parameter: 'response_format.json_schema.name'.", 'response_format.json_schema.name');
    }
    if (spec.schema !== undefined && !isRecord(spec.schema)) {
      return invalid("Invalid 'response_format.json_schema.schema': expected an object.", 'response_format.json_schema.schema');
    }
  }
  for (const cap of ['max_completion_tokens', 'max_tokens'] as const) {
    const value = body[cap];
    if (value !== undefined && value !== null && !(Number.isInteger(value) && (value as number) > 0)) {
      return invalid(`Invalid '${cap}': expected a positive integer.`, cap);
    }
  }
  const toolProblem = toolMessageProblem(messages as WireMessage[], body.tools);
  if (toolProblem !== null) return invalid(toolProblem, 'messages');
  return {
    ok: true,
    request: {
      tools: body.tools,
      tool_choice: body.tool_choice,
      model: body.model,
      messages: messages as WireMessage[],
      response_format: format,
      max_completion_tokens: body.max_completion_tokens as number | null | undefined,
      max_tokens: body.max_tokens as number | null | undefined,
    },
  };
}

function invalid(message: string, param: string | null): ParsedRequest {
  return { ok: false, error: { message, type: 'invalid_request_error', code: null, param } };
}
