// POST /v1/chat/completions: auth, validation, faults, rate limits, latency, then the simulated answer, all logged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authFailure } from './auth.js';
import { invalidOutputContent, malformedContent, withBodyFault } from './bad-answers.js';
import { completionBody } from './completion-body.js';
import { formatOpenAiDuration } from './duration.js';
import { isImmediateFault, pickFault, type FaultKind } from './faults.js';
import { sendJson, sendOpenAiError, type OpenAiErrorFields } from './http-io.js';
import { drawLatencyMs } from './latency.js';
import { parseChatRequest } from './parse-request.js';
import type { RequestLogEntry } from './request-log.js';
import { simulateCompletion, approximateTokens, type SimulatedCompletion } from './simulate.js';
import { fabricateCitation, faultForTurn, toolAwareCompletion, withToolCalls } from './tool-calls.js';
import type { StandInState } from './state.js';

/** How long a spurious `rateLimit` fault asks the client to wait. */
export const SPURIOUS_RETRY_AFTER_MS = 200;

const REFUSAL = "I'm sorry, but I can't help with that request.";

type Outcome = Omit<RequestLogEntry, 'seq' | 'at' | 'model' | 'rowKey'>;
const NOT_BILLED = { latencyMs: 0, promptTokens: 0, completionTokens: 0, billed: false } as const;

export function handleChatCompletion(state: StandInState, req: IncomingMessage, res: ServerResponse, bodyText: string): void {
  const seq = state.nextCompletionSeq();
  const at = Date.now();
  let model: string | null = null;
  let rowKey: string | null = null;
  const log = (outcome: Outcome): void => state.log.append({ seq, at, model, rowKey, ...outcome });
  const fail = (status: number, error: OpenAiErrorFields, fault: FaultKind | null = null, headers: Record<string, string> = {}, latencyMs = 0): void => {
    sendOpenAiError(res, status, error, { ...state.responseHeaders(), ...headers });
    log({ ...NOT_BILLED, status, fault, latencyMs });
  };

  const settings = state.settings;
  const denied = authFailure(req, settings.rejectKey);
  if (denied) return fail(401, denied);
  const parsed = parseChatRequest(bodyText);
  if (!parsed.ok) return fail(400, parsed.error);
  const modelId = parsed.request.model;
  const answer = toolAwareCompletion(parsed.request) ?? simulateCompletion(parsed.request);
  model = modelId;
  rowKey = answer.rowKey;
  if (!settings.models.includes(modelId)) {
    return fail(404, { message: `The model \`${modelId}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', code: 'model_not_found' });
  }

  // Exactly two draws for every request that gets this far, in this order, so a seed replays the same faults and latencies.
  const fault = faultForTurn(pickFault(settings.faults, state.random()), answer);
  const latencyMs = drawLatencyMs(settings, state.random());
  if (isImmediateFault(fault)) {
    // A quota error says nothing about when to come back: waiting will not add credit.
    const headers = fault === 'rateLimit' ? retryHeaders(SPURIOUS_RETRY_AFTER_MS) : {};
    return fail(429, immediateFaultError(fault), fault, headers);
  }

  const admission = state.limiter.tryAdmit(answer.promptTokens + answer.completionTokens, state.now());
  if (!admission.admitted) {
    const perMinute = admission.kind === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
    const requested = admission.kind === 'requests' ? 1 : answer.promptTokens + answer.completionTokens;
    const message =
      `Rate limit reached for ${modelId} in organization org-standin on ${perMinute}: Limit ${admission.limit}, Requested ${requested}. ` +
      `Please try again in ${formatOpenAiDuration(admission.retryAfterMs)}.`;
    return fail(429, { message, type: admission.kind, code: 'rate_limit_exceeded' }, null, retryHeaders(admission.retryAfterMs));
  }

  if (fault === 'hang') return hang(state, req, res, log);
  const finish = (): void => {
    if (fault === 'connectionReset') {
      req.socket.destroy();
      return log({ ...NOT_BILLED, status: null, fault, latencyMs });
    }
    if (fault === 'error500') {
      return fail(500, { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: 'server_error' }, fault, {}, latencyMs);
    }
    const sent = answerFor(fault, answer);
    const broken = withBodyFault(fault, withToolCalls(completionBody({ seq, model: modelId, ...sent }), answer, fault), state.settings);
    sendJson(res, 200, broken.body, state.responseHeaders());
    log({ status: 200, fault, latencyMs, promptTokens: sent.promptTokens, completionTokens: broken.completionTokens ?? sent.completionTokens, billed: true });
  };
  // Zero latency answers in this tick: a timer, even of 0 ms, would cap throughput and add a hop per request.
  if (latencyMs === 0) finish();
  else state.schedule(latencyMs, finish);
}

/** Holds the request open until the client leaves or `hangMs` passes, then drops the socket. */
function hang(state: StandInState, req: IncomingMessage, res: ServerResponse, log: (outcome: Outcome) => void): void {
  log({ ...NOT_BILLED, status: null, fault: 'hang' });
  const timer = state.schedule(state.settings.hangMs, () => req.socket.destroy());
  res.on('close', () => state.cancel(timer));
}

function answerFor(fault: FaultKind | null, answer: SimulatedCompletion) {
  const base = { promptTokens: answer.promptTokens, refusal: null, finishReason: answer.finishReason } as const;
  switch (fault) {
    case 'malformed':
      return withContent(base, malformedContent(answer.content));
    case 'invalidOutput':
      return withContent(base, invalidOutputContent(answer.content));
    case 'refusal':
      return { ...base, content: null, refusal: REFUSAL, finishReason: 'stop' as const, completionTokens: approximateTokens(REFUSAL) };
    case 'contentFilter':
      return { ...base, content: null, finishReason: 'content_filter' as const, completionTokens: 0 };
    case 'fabricatedCitation':
      return withContent(base, fabricateCitation(answer.content, answer.rowKey));
    default:
      return { ...base, content: answer.content, completionTokens: answer.completionTokens };
  }
}

function withContent<T extends object>(base: T, content: string) {
  return { ...base, content, completionTokens: approximateTokens(content) };
}

function immediateFaultError(fault: FaultKind | null): OpenAiErrorFields {
  if (fault === 'insufficientQuota') {
    return {
      message: 'You exceeded your current quota, please check your plan and billing details.',
      type: 'insufficient_quota',
      code: 'insufficient_quota',
    };
  }
  return {
    message: `Rate limit reached in organization org-standin. Please try again in ${formatOpenAiDuration(SPURIOUS_RETRY_AFTER_MS)}.`,
    type: 'requests',
    code: 'rate_limit_exceeded',
  };
}

function retryHeaders(ms: number): Record<string, string> {
  const whole = Math.max(1, Math.ceil(ms));
  return { 'retry-after-ms': String(whole), 'retry-after': String(Math.ceil(whole / 1000)) };
}
