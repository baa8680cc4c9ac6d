// Research mode's function calling on the wire: port messages and tools → Chat Completions params, tool calls → port.
import type OpenAI from 'openai';
import type { ChatMessage, CompletionRequest, ToolCall } from '../../ports/model.js';

type MessageParam = OpenAI.Chat.ChatCompletionMessageParam;
type ToolParam = OpenAI.Chat.ChatCompletionTool;

export function toMessageParam(m: ChatMessage): MessageParam {
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content };
  if (m.role === 'assistant' && m.toolCalls && m.toolCalls.length > 0) {
    return {
      role: 'assistant',
      // An assistant turn that only called tools has no text: OpenAI wants null there, not an empty string.
      content: m.content === '' ? null : m.content,
      tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
    };
  }
  return { role: m.role, content: m.content };
}

/** The request's `tools` and `tool_choice`, or nothing at all outside research mode (so ordinary requests are unchanged). */
export function toolParams(request: CompletionRequest): { tools?: ToolParam[]; tool_choice?: 'auto' | 'none' } {
  if (!request.tools || request.tools.length === 0) return {};
  return {
    tools: request.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: { ...t.parameters }, strict: true } })),
    tool_choice: request.toolChoice ?? 'auto',
  };
}

/** The function calls of an answer; custom (non-function) tool calls are not something Rowfill offers, so they are skipped. */
export function toolCallsOf(message: OpenAI.Chat.ChatCompletionMessage): ToolCall[] | undefined {
  const calls = (message.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : []));
  return calls.length > 0 ? calls : undefined;
}
