// The one place the OpenAI adapter turns what the SDK throws (or a refused answer) into the engine's typed errors.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { AnswerTooLargeError, ContentFilterError, ConnectionError, RowfillError, TimeoutError, errorFromHttp, parseRetryAfter } from '../../kernel/errors.js';
import { ResponseTooLarge, formatBytes } from './capped-fetch.js';

export interface ErrorContext {
  /** Where the SDK was pointed, so a network failure says which address could not be reached. */
  readonly baseURL: string;
  readonly model: string;
  /** `validate` reads a 404 as "this key cannot use this model"; `complete` only does when OpenAI says so. */
  readonly operation: 'complete' | 'validate';
  readonly signal?: AbortSignal | undefined;
}

const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'billing_not_active']);

/** Anything thrown while calling OpenAI, as the RowfillError the engine classifies by (see kernel/errors.ts). */
export function toRowfillError(error: unknown, context: ErrorContext): RowfillError {
  if (error instanceof RowfillError) return error;
  // Our own abort wins over whatever the SDK made of it: the reason says whether it was a timeout or a cancellation.
  if (context.signal?.aborted) {
    const reason: unknown = context.signal.reason;
    if (reason instanceof RowfillError) return reason;
    return new TimeoutError(`OpenAI did not answer for model '${context.model}' before the attempt was aborted (${describe(reason)})`, { cause: error });
  }
  const tooLarge = error instanceof ResponseTooLarge ? error : error instanceof Error && error.cause instanceof ResponseTooLarge ? error.cause : undefined;
  if (tooLarge) {
    return new AnswerTooLargeError(
      `OpenAI's answer was larger than ${formatBytes(tooLarge.maxBytes)} for model '${context.model}', so it was refused unread: ` +
        'the provider did not keep to the token cap. Its cost is unknown, so the whole reservation of the row counts as spent.',
      { cause: error },
    );
  }
  if (error instanceof APIUserAbortError || error instanceof APIConnectionTimeoutError) {
    return new TimeoutError(`OpenAI did not answer for model '${context.model}' in time (${error.message})`, { cause: error });
  }
  if (error instanceof APIConnectionError || !(error instanceof APIError)) {
    const cause: unknown = error instanceof Error && error.cause !== undefined ? error.cause : error;
    return new ConnectionError(`Could not reach OpenAI at ${context.baseURL} (${describe(cause)}): check the network and OPENAI_BASE_URL`, {
      cause: error,
    });
  }
  // The SDK's instanceof narrowing yields APIError<any, any, any>; pin the real field types.
  const api = error as APIError<number | undefined, Headers | undefined, object | undefined>;
  const code = api.code ?? api.type ?? null;
  return errorFromHttp({
    status: api.status,
    code,
    message: httpMessage(api.status, code, providerMessage(api), context),
    retryAfterMs: parseRetryAfter(api.headers, Date.now()),
    cause: error,
  });
}

/** A refused or filtered answer arrives as a 200; it is still a failure the row cannot retry its way out of. */
export function refusedAnswerError(choice: { readonly finish_reason: string; readonly message: { readonly refusal?: string | null } }): ContentFilterError | null {
  if (choice.finish_reason === 'content_filter') {
    return new ContentFilterError("OpenAI's content filter stopped the answer for this row (finish_reason content_filter): rephrase the instructions or the row's values");
  }
  const refusal = choice.message.refusal;
  if (typeof refusal === 'string' && refusal.trim() !== '') return new ContentFilterError(`The model refused this row: ${refusal}`);
  return null;
}

function httpMessage(status: number | undefined, code: string | null, message: string, context: ErrorContext): string {
  const tag = `${status ?? 'no status'}${code ? ` ${code}` : ''}`;
  if (code !== null && QUOTA_CODES.has(code)) {
    return `OpenAI says the account is out of quota (${tag}): add credit or raise the usage limit in the OpenAI billing settings, then resume the job`;
  }
  if (code === 'content_filter' || code === 'content_policy_violation') return `OpenAI's content filter blocked this row (${tag}): ${message}`;
  if (status === 401) return `OpenAI rejected the API key (${tag}): set OPENAI_API_KEY to a valid key`;
  if (status === 403) return `OpenAI refused access (${tag}): ${message} Check that this key's project may use model '${context.model}'`;
  if (status === 404 && (code === 'model_not_found' || context.operation === 'validate')) return `Model '${context.model}' is not available to this API key`;
  if (status === 404) return `OpenAI answered 404 at ${context.baseURL} (${message}): check OPENAI_BASE_URL`;
  if (status === 429) return `OpenAI rate limit reached (${tag}): ${message}`;
  if (status !== undefined && status >= 500) return `OpenAI had a server error (${tag}): ${message}`;
  return `OpenAI rejected the request (${tag}): ${message}`;
}

/** The provider's own sentence, without the SDK's "401 " prefix. */
function providerMessage(error: APIError<number | undefined, Headers | undefined, object | undefined>): string {
  const body: unknown = error.error;
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') return body.message;
  return error.message;
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message || value.name;
  if (value === undefined) return 'no reason given';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
