// The stand-in's /v1/batches: create, retrieve, cancel and list, each batch moving through OpenAI's states over `batchDelayMs`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authFailure } from './auth.js';
import { runBatch } from './batch-runner.js';
import type { StandInBatch } from './batch-store.js';
import { validateBatchFile } from './batch-validate.js';
import type { BatchRequestLine, BatchValidationError } from './batch-validate.js';
import { listPage, noSuchFile } from './files.js';
import { sendJson, sendOpenAiError, type OpenAiErrorFields } from './http-io.js';
import { isRecord, type WireMessage } from './row-inputs.js';
import { promptTokensOf } from './simulate.js';
import type { StandInState } from './state.js';

const SUPPORTED_ENDPOINT = '/v1/chat/completions';
const WINDOW_SECONDS = 24 * 3600;

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function batchObject(batch: StandInBatch, state: StandInState): Record<string, unknown> {
  const total = batch.lines.length;
  const running = batch.status === 'in_progress' || batch.status === 'finalizing';
  // While running, the counts grow with time as the real ones do; at the end they are the files' exact counts.
  const completed = running ? processedBy(batch, state) : batch.completed;
  return {
    id: batch.id,
    object: 'batch',
    endpoint: batch.endpoint,
    model: batch.model,
    errors: batch.errors ? { object: 'list', data: batch.errors } : null,
    input_file_id: batch.inputFileId,
    completion_window: '24h',
    status: batch.status,
    output_file_id: batch.outputFileId,
    error_file_id: batch.errorFileId,
    created_at: batch.createdAt,
    expires_at: batch.createdAt + WINDOW_SECONDS,
    in_progress_at: batch.times.in_progress_at ?? null,
    finalizing_at: batch.times.finalizing_at ?? null,
    completed_at: batch.times.completed_at ?? null,
    failed_at: batch.times.failed_at ?? null,
    expired_at: batch.times.expired_at ?? null,
    cancelling_at: batch.times.cancelling_at ?? null,
    cancelled_at: batch.times.cancelled_at ?? null,
    request_counts: { total, completed, failed: running ? 0 : batch.failed },
    usage: batch.usage
      ? {
          input_tokens: batch.usage.input,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: batch.usage.output,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: batch.usage.input + batch.usage.output,
        }
      : null,
    metadata: batch.metadata,
  };
}

/** Requests processed by now: linear over the processing time, capped by the expiry fraction when one is set. */
function processedBy(batch: StandInBatch, state: StandInState): number {
  if (batch.frozenProcessed !== null) return batch.frozenProcessed;
  const total = batch.lines.length;
  const elapsed = batch.processingMs <= 0 ? 1 : Math.min(1, Math.max(0, (state.now() - batch.processingStart) / batch.processingMs));
  const byTime = Math.floor(total * elapsed);
  const fraction = state.settings.batchExpireFraction;
  return fraction === null ? byTime : Math.min(byTime, Math.floor(total * fraction));
}

/** Schedules the states: validating for a tenth of the delay, in_progress to 80 %, finalizing to the end, then done. */
function start(state: StandInState, batch: StandInBatch, validated: ReturnType<typeof validateBatchFile>): void {
  const delay = state.settings.batchDelayMs;
  const expireFraction = state.settings.batchExpireFraction;
  const at = (fraction: number, run: () => void): void => {
    batch.timers.push(state.schedule(delay * fraction, run));
  };
  at(0.1, () => {
    if (!validated.ok) {
      batch.status = 'failed';
      batch.errors = validated.errors;
      batch.times.failed_at = nowSeconds();
      return;
    }
    const refusal = tokenLimitRefusal(state, batch.model, validated.lines);
    if (refusal) {
      batch.status = 'failed';
      batch.errors = [refusal];
      batch.times.failed_at = nowSeconds();
      if (batch.model !== null) state.batches.note(batch.model, true);
      return;
    }
    batch.lines = validated.lines;
    batch.enqueuedTokens = linesPromptTokens(validated.lines);
    batch.status = 'in_progress';
    if (batch.model !== null) state.batches.note(batch.model, false);
    batch.times.in_progress_at = nowSeconds();
    batch.processingStart = state.now();
    batch.processingMs = delay * 0.7;
    if (expireFraction !== null) {
      at(1, () => finish(state, batch, 'expired', Math.floor(batch.lines.length * expireFraction)));
      return;
    }
    at(0.8, () => {
      batch.status = 'finalizing';
      batch.times.finalizing_at = nowSeconds();
      at(1, () => finish(state, batch, 'completed', batch.lines.length));
    });
  });
}

function linesPromptTokens(lines: readonly BatchRequestLine[]): number {
  let sum = 0;
  for (const line of lines) sum += promptTokensOf(Array.isArray(line.body.messages) ? (line.body.messages.filter(isRecord) as unknown as WireMessage[]) : []);
  return sum;
}

/**
 * OpenAI counts the prompt tokens of a model's accepted, unfinished batches against the organisation's enqueued-token
 * limit, and fails a batch that would go past it at validation, with this error (nothing in it is run or billed).
 */
function tokenLimitRefusal(state: StandInState, model: string | null, lines: readonly BatchRequestLine[]): BatchValidationError | null {
  const limit = state.settings.batchEnqueuedTokenLimit;
  if (limit === null || model === null) return null;
  if (state.batches.enqueued(model) + linesPromptTokens(lines) <= limit) return null;
  const message = `Enqueued token limit reached for ${model} in organization org-standin. Limit: ${limit} enqueued tokens. Please try submitting fewer tasks or wait for some of your existing batches to complete.`;
  return { code: 'token_limit_exceeded', message, param: null, line: null };
}

function finish(state: StandInState, batch: StandInBatch, status: 'completed' | 'expired' | 'cancelled', processed: number): void {
  const result = runBatch(state, { batchId: batch.id, lines: batch.lines, processed, unansweredCode: status === 'cancelled' ? 'batch_cancelled' : 'batch_expired' });
  batch.status = status;
  batch.times[`${status}_at`] = nowSeconds();
  batch.outputFileId = result.outputFileId;
  batch.errorFileId = result.errorFileId;
  batch.completed = result.completed;
  batch.failed = result.failed;
  batch.usage = result.usage;
}

function invalid(message: string, param: string | null, code: string | null = null): OpenAiErrorFields {
  return { message, type: 'invalid_request_error', param, code };
}

/** Metadata as OpenAI accepts it: at most 16 string pairs, keys ≤ 64 and values ≤ 512 characters. */
function metadataProblem(metadata: unknown): string | null {
  if (metadata === undefined || metadata === null) return null;
  if (!isRecord(metadata)) return "Invalid 'metadata': expected an object of strings.";
  const entries = Object.entries(metadata);
  if (entries.length > 16) return "Invalid 'metadata': at most 16 keys.";
  for (const [key, value] of entries) {
    if (key.length > 64) return `Invalid 'metadata': key '${key.slice(0, 20)}…' is longer than 64 characters.`;
    if (typeof value !== 'string' || value.length > 512) return `Invalid 'metadata.${key}': expected a string of at most 512 characters.`;
  }
  return null;
}

export function handleCreateBatch(state: StandInState, req: IncomingMessage, res: ServerResponse, bodyText: string): void {
  const headers = state.responseHeaders();
  const denied = authFailure(req, state.settings.rejectKey);
  if (denied) return sendOpenAiError(res, 401, denied, headers);
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return sendOpenAiError(res, 400, invalid('We could not parse the JSON body of your request.', null), headers);
  }
  if (!isRecord(body)) return sendOpenAiError(res, 400, invalid('The request body must be a JSON object.', null), headers);
  const { input_file_id: inputFileId, endpoint, completion_window: window, metadata } = body;
  if (typeof inputFileId !== 'string' || inputFileId === '') return sendOpenAiError(res, 400, invalid("Missing required parameter: 'input_file_id'.", 'input_file_id'), headers);
  if (endpoint !== SUPPORTED_ENDPOINT) {
    return sendOpenAiError(res, 400, invalid(`Invalid 'endpoint': the stand-in supports only ${SUPPORTED_ENDPOINT}.`, 'endpoint'), headers);
  }
  if (window !== '24h') return sendOpenAiError(res, 400, invalid("Invalid 'completion_window': only '24h' is supported.", 'completion_window'), headers);
  const problem = metadataProblem(metadata);
  if (problem) return sendOpenAiError(res, 400, invalid(problem, 'metadata'), headers);
  const file = state.files.get(inputFileId);
  if (!file) return sendOpenAiError(res, 404, noSuchFile(inputFileId), headers);
  if (file.purpose !== 'batch') {
    return sendOpenAiError(res, 400, invalid(`File ${inputFileId} has purpose '${file.purpose}'; a batch input file must have purpose 'batch'.`, 'input_file_id'), headers);
  }
  const validated = validateBatchFile(file.content, SUPPORTED_ENDPOINT, state.settings.batchMaxRequests);
  const firstModel = validated.ok ? validated.lines.find((l) => typeof l.body.model === 'string')?.body.model : undefined;
  const batch: StandInBatch = {
    id: state.batches.nextId(),
    inputFileId,
    endpoint: SUPPORTED_ENDPOINT,
    metadata: isRecord(metadata) ? (metadata as Record<string, string>) : null,
    createdAt: nowSeconds(),
    status: 'validating',
    model: typeof firstModel === 'string' ? firstModel : null,
    lines: [],
    errors: null,
    processingStart: 0,
    processingMs: 0,
    frozenProcessed: null,
    outputFileId: null,
    errorFileId: null,
    completed: 0,
    failed: 0,
    usage: null,
    enqueuedTokens: 0,
    times: {},
    timers: [],
  };
  state.batches.batches.set(batch.id, batch);
  start(state, batch, validated);
  sendJson(res, 200, batchObject(batch, state), headers);
}

export function handleRetrieveBatch(state: StandInState, req: IncomingMessage, res: ServerResponse, id: string): void {
  const headers = state.responseHeaders();
  const denied = authFailure(req, state.settings.rejectKey);
  if (denied) return sendOpenAiError(res, 401, denied, headers);
  const batch = state.batches.batches.get(id);
  if (!batch) return sendOpenAiError(res, 404, noSuchBatch(id), headers);
  sendJson(res, 200, batchObject(batch, state), headers);
}

/** Cancelling freezes the requests processed so far; a tenth of the delay later the batch is cancelled with those answered. */
export function handleCancelBatch(state: StandInState, req: IncomingMessage, res: ServerResponse, id: string): void {
  const headers = state.responseHeaders();
  const denied = authFailure(req, state.settings.rejectKey);
  if (denied) return sendOpenAiError(res, 401, denied, headers);
  const batch = state.batches.batches.get(id);
  if (!batch) return sendOpenAiError(res, 404, noSuchBatch(id), headers);
  if (batch.status !== 'validating' && batch.status !== 'in_progress' && batch.status !== 'finalizing') {
    return sendOpenAiError(res, 409, invalid(`Cannot cancel a batch with status '${batch.status}'.`, null), headers);
  }
  const processed = batch.status === 'validating' ? 0 : processedBy(batch, state);
  for (const timer of batch.timers) state.cancel(timer);
  batch.frozenProcessed = processed;
  batch.status = 'cancelling';
  batch.times.cancelling_at = nowSeconds();
  batch.timers = [state.schedule(state.settings.batchDelayMs * 0.1, () => finish(state, batch, 'cancelled', processed))];
  sendJson(res, 200, batchObject(batch, state), headers);
}

export function handleListBatches(state: StandInState, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
  const headers = state.responseHeaders();
  const denied = authFailure(req, state.settings.rejectKey);
  if (denied) return sendOpenAiError(res, 401, denied, headers);
  const newestFirst = [...state.batches.batches.values()].reverse();
  sendJson(res, 200, listPage(newestFirst, query, (batch) => batchObject(batch, state), 100), headers);
}

function noSuchBatch(id: string): OpenAiErrorFields {
  return { message: `No batch found with id '${id}'.`, type: 'invalid_request_error', param: null, code: 'batch_not_found' };
}
