// The Model port: one structured-output completion per call; errors arrive already typed (kernel/errors.ts).
import type { Usage } from './domain.js';

export interface JsonSchema {
  readonly [key: string]: unknown;
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly content: string;
  /** An assistant turn's function calls (research mode), echoed back so the model sees what it asked for. */
  readonly toolCalls?: readonly ToolCall[];
  /** A `tool` message answers the call with this id; its content is the result as JSON data. */
  readonly toolCallId?: string;
}

/** One function call the model asked for: `arguments` is the model's JSON text, parsed (and distrusted) by the engine. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** A function the model may call (Chat Completions function calling, strict JSON Schema parameters). */
export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchema;
}

export interface CompletionRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  /** The structured-output schema the answer must follow (strict JSON Schema). */
  readonly schemaName: string;
  readonly schema: JsonSchema;
  readonly maxOutputTokens: number;
  /** Functions the model may call instead of answering; absent outside research mode. */
  readonly tools?: readonly ToolDefinition[];
  /** `none` makes the model answer now even though tools are listed (the loop's last turn and the repair). Default `auto`. */
  readonly toolChoice?: 'auto' | 'none';
  /** Aborts the call (timeout or cancellation). */
  readonly signal: AbortSignal;
}

/** What the provider said about its limits, from `x-ratelimit-*` headers when present. */
export interface RateLimitInfo {
  readonly limitRequests?: number;
  readonly limitTokens?: number;
  readonly remainingRequests?: number;
  readonly remainingTokens?: number;
  /** ms until the request / token allowance is fully restored. */
  readonly resetRequestsMs?: number;
  readonly resetTokensMs?: number;
}

export interface CompletionResult {
  /** The raw text of the answer (expected to be JSON). */
  readonly content: string;
  readonly usage: Usage;
  readonly rateLimit?: RateLimitInfo;
  /** The model's refusal text, when it refused. */
  readonly refusal?: string | null;
  /** The functions the model called this turn, when it called any (then `content` may be empty). */
  readonly toolCalls?: readonly ToolCall[];
}

export interface ModelClient {
  /** True when this client talks to the local stand-in, so results must be labelled simulated. */
  readonly simulated: boolean;
  /** One cheap call that proves the key works and the model exists; throws a typed error a user can act on. */
  validate(model: string, signal?: AbortSignal): Promise<void>;
  /** Throws RowfillError subclasses (kernel/errors.ts) for every failure. */
  complete(request: CompletionRequest): Promise<CompletionResult>;
}
