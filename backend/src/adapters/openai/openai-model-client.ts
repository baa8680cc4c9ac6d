// The Model port on the official `openai` SDK: one structured-output chat completion per call, errors typed for the engine.
import OpenAI from 'openai';
import type { CompletionRequest, CompletionResult, ModelClient } from '../../ports/model.js';
import { cappedFetch } from './capped-fetch.js';
import { refusedAnswerError, toRowfillError } from './openai-errors.js';
import { toMessageParam, toolCallsOf, toolParams } from './openai-tools.js';
import { rateLimitFromHeaders } from './rate-limit-headers.js';
import { isHttpUrl } from '../shared/http-url.js';

export interface OpenAiModelClientOptions {
  /** Required, non-empty. */
  readonly apiKey: string;
  /** Default `https://api.openai.com/v1`; the SDK's own environment fallback is bypassed so config.ts stays the one source. */
  readonly baseURL?: string | undefined;
  /** True when `baseURL` is the local stand-in, so results are labelled simulated. Default false. */
  readonly simulated?: boolean | undefined;
  /** Sent as OpenAI-Organization when given. Default: none. */
  readonly organization?: string | undefined;
  /**
   * Largest response body read, in bytes; a larger one is refused unread (AnswerTooLargeError). Default 1,000,000:
   * an answer within the largest token cap Rowfill allows is far smaller, and a runaway one must not reach memory or the store.
   */
  readonly maxAnswerBytes?: number | undefined;
}

export const DEFAULT_MAX_ANSWER_BYTES = 1_000_000;

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** The SDK's own ceiling only; the engine passes a signal with the real per-attempt timeout. */
const SDK_TIMEOUT_MS = 10 * 60_000;

export class OpenAiModelClient implements ModelClient {
  readonly simulated: boolean;
  readonly baseURL: string;
  private readonly client: OpenAI;

  constructor(options: OpenAiModelClientOptions) {
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new Error('OpenAiModelClient: apiKey must be a non-empty string (set OPENAI_API_KEY)');
    }
    if (options.baseURL !== undefined && !isHttpUrl(options.baseURL)) {
      throw new Error(`OpenAiModelClient: baseURL must be an http(s) URL, got ${JSON.stringify(options.baseURL)}`);
    }
    if (options.organization !== undefined && (typeof options.organization !== 'string' || options.organization.trim() === '')) {
      throw new Error('OpenAiModelClient: organization must be a non-empty string when given');
    }
    if (options.simulated !== undefined && typeof options.simulated !== 'boolean') {
      throw new Error('OpenAiModelClient: simulated must be a boolean when given');
    }
    if (options.maxAnswerBytes !== undefined && !(Number.isSafeInteger(options.maxAnswerBytes) && options.maxAnswerBytes > 0)) {
      throw new Error('OpenAiModelClient: maxAnswerBytes must be a positive integer when given');
    }
    this.simulated = options.simulated ?? false;
    this.baseURL = options.baseURL ?? DEFAULT_OPENAI_BASE_URL;
    // Retries are the engine's job (backoff, Retry-After, budget), so the SDK must not retry behind its back.
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: this.baseURL,
      organization: options.organization ?? null,
      project: null,
      maxRetries: 0,
      timeout: SDK_TIMEOUT_MS,
      fetch: cappedFetch(options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES),
    });
  }

  async validate(model: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.models.retrieve(model, { signal });
    } catch (error) {
      throw toRowfillError(error, { baseURL: this.baseURL, model, operation: 'validate', signal });
    }
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const { model, signal } = request;
    try {
      const { data, response } = await this.client.chat.completions
        .create(
          {
            model,
            messages: request.messages.map(toMessageParam),
            response_format: { type: 'json_schema', json_schema: { name: request.schemaName, schema: request.schema, strict: true } },
            max_completion_tokens: request.maxOutputTokens,
            ...toolParams(request),
          },
          { signal },
        )
        .withResponse();
      const usage = data.usage;
      const reported = {
        inputTokens: usage?.prompt_tokens ?? 0,
        cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
        outputTokens: usage?.completion_tokens ?? 0,
      };
      const choice = data.choices[0];
      // A 200 with no choices was still billed: its usage comes back with an empty answer, which the engine repairs
      // once and then fails as output_invalid, instead of retrying it blind and charging nothing.
      if (!choice) return { content: '', usage: reported, rateLimit: rateLimitFromHeaders(response.headers), refusal: null };
      const refused = refusedAnswerError(choice);
      if (refused) throw refused;
      const toolCalls = toolCallsOf(choice.message);
      return {
        content: choice.message.content ?? '',
        usage: reported,
        rateLimit: rateLimitFromHeaders(response.headers),
        refusal: choice.message.refusal ?? null,
        ...(toolCalls ? { toolCalls } : {}),
      };
    } catch (error) {
      throw toRowfillError(error, { baseURL: this.baseURL, model, operation: 'complete', signal });
    }
  }
}
