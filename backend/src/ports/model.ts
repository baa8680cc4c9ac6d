// The Model port: one structured-output completion per call; errors arrive already typed (engine/errors.ts).
import type { Usage } from './domain.js';

export interface JsonSchema {
  readonly [key: string]: unknown;
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface CompletionRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  /** The structured-output schema the answer must follow (strict JSON Schema). */
  readonly schemaName: string;
  readonly schema: JsonSchema;
  readonly maxOutputTokens: number;
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
}

export interface ModelClient {
  /** True when this client talks to the local stand-in, so results must be labelled simulated. */
  readonly simulated: boolean;
  /** One cheap call that proves the key works and the model exists; throws a typed error a user can act on. */
  validate(model: string, signal?: AbortSignal): Promise<void>;
  /** Throws RowfillError subclasses (engine/errors.ts) for every failure. */
  complete(request: CompletionRequest): Promise<CompletionResult>;
}
