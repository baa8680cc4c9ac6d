// Answers a batch's requests with the same logic as /v1/chat/completions and writes its output and error files.
import { invalidOutputContent, malformedContent, withBodyFault } from './bad-answers.js';
import { completionBody, type CompletionBodyFacts } from './completion-body.js';
import { pickFault, type FaultKind } from './faults.js';
import type { OpenAiErrorFields } from './http-io.js';
import { parseChatRequest } from './parse-request.js';
import { approximateTokens, simulateCompletion, type SimulatedCompletion } from './simulate.js';
import type { BatchRequestLine } from './batch-validate.js';
import type { StandInState } from './state.js';

export interface BatchRunFacts {
  readonly batchId: string;
  /** Requests in the file, in order. */
  readonly lines: readonly BatchRequestLine[];
  /** How many, from the first, were processed before the batch ended; the rest get `unansweredCode`. */
  readonly processed: number;
  readonly unansweredCode: 'batch_expired' | 'batch_cancelled';
}

export interface BatchRunResult {
  readonly outputFileId: string | null;
  readonly errorFileId: string | null;
  readonly completed: number;
  readonly failed: number;
  readonly usage: { readonly input: number; readonly output: number };
}

const UNANSWERED_MESSAGES = {
  batch_expired: 'This request could not be executed before the completion window expired.',
  batch_cancelled: 'This request was not executed because the batch was cancelled.',
} as const;

/** Processes the first `processed` requests, bills each answer in the request log, and stores the result files. */
export function runBatch(state: StandInState, facts: BatchRunFacts): BatchRunResult {
  const output: string[] = [];
  const errors: string[] = [];
  let input = 0;
  let outputTokens = 0;
  facts.lines.forEach((line, index) => {
    const id = `batch_req_${facts.batchId.replace(/^batch_/, '')}_${index + 1}`;
    if (index >= facts.processed) {
      const code = facts.unansweredCode;
      errors.push(JSON.stringify({ id, custom_id: line.customId, response: null, error: { code, message: UNANSWERED_MESSAGES[code] } }));
      return;
    }
    const answer = answerLine(state, facts.batchId, line);
    const text = JSON.stringify({ id, custom_id: line.customId, response: { status_code: answer.status, request_id: answer.requestId, body: answer.body }, error: null });
    if (answer.status === 200) {
      output.push(text);
      input += answer.promptTokens;
      outputTokens += answer.completionTokens;
    } else errors.push(text);
  });
  const store = (lines: string[], kind: string): string | null =>
    lines.length === 0 ? null : state.files.add(`batch_${facts.batchId}_${kind}.jsonl`, 'batch_output', Buffer.from(`${lines.join('\n')}\n`)).id;
  return {
    outputFileId: store(output, 'output'),
    errorFileId: store(errors, 'error'),
    completed: output.length,
    failed: errors.length,
    usage: { input, output: outputTokens },
  };
}

interface LineAnswer {
  readonly status: number;
  readonly requestId: string;
  readonly body: Record<string, unknown>;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** One request: the chat-completions validation and simulated answer, or a drawn per-request 500. */
function answerLine(state: StandInState, batchId: string, line: BatchRequestLine): LineAnswer {
  const seq = state.nextCompletionSeq();
  const requestId = state.responseHeaders()['x-request-id'] ?? `req_standin_${seq}`;
  const base = { seq, at: Date.now(), latencyMs: 0, fault: null as FaultKind | null, batchId, customId: line.customId };
  const fail = (status: number, error: OpenAiErrorFields, model: string | null): LineAnswer => {
    state.log.append({ ...base, model, rowKey: null, status, promptTokens: 0, completionTokens: 0, billed: false });
    return { status, requestId, body: { error: { message: error.message, type: error.type, param: error.param ?? null, code: error.code } }, promptTokens: 0, completionTokens: 0 };
  };
  const parsed = parseChatRequest(JSON.stringify(line.body));
  if (!parsed.ok) return fail(400, parsed.error, null);
  const model = parsed.request.model;
  if (!state.settings.models.includes(model)) {
    return fail(404, { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', code: 'model_not_found' }, model);
  }
  // One draw per answered request, in file order, so a seed replays the same failures.
  if (state.random() < state.settings.batchErrorRate) {
    return fail(500, { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: 'server_error' }, model);
  }
  // A second draw picks an answer fault from `faults`, as fast mode's answers have them, so repairs can be tested in batches.
  const fault = pickFault(state.settings.faults, state.random());
  if (fault === 'error500') {
    return fail(500, { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: 'server_error' }, model);
  }
  const answer = simulateCompletion(parsed.request);
  const facts = { seq, model, ...answerWithFault(fault, answer) };
  const broken = withBodyFault(fault, completionBody(facts), state.settings);
  const completionTokens = broken.completionTokens ?? facts.completionTokens;
  state.log.append({ ...base, fault, model, rowKey: answer.rowKey, status: 200, promptTokens: facts.promptTokens, completionTokens, billed: true });
  return { status: 200, requestId, body: broken.body, promptTokens: facts.promptTokens, completionTokens };
}

const REFUSAL = "I'm sorry, but I can't help with that request.";

/** The answer an answer fault makes of the right one; faults of the connection or of rate limits do not happen in a batch. */
function answerWithFault(fault: FaultKind | null, answer: SimulatedCompletion): Omit<CompletionBodyFacts, 'seq' | 'model'> {
  const base = { promptTokens: answer.promptTokens, refusal: null, finishReason: answer.finishReason };
  const withContent = (content: string) => ({ ...base, content, completionTokens: approximateTokens(content) });
  switch (fault) {
    case 'malformed':
      return withContent(malformedContent(answer.content));
    case 'invalidOutput':
      return withContent(invalidOutputContent(answer.content));
    case 'refusal':
      return { ...base, content: null, refusal: REFUSAL, finishReason: 'stop', completionTokens: approximateTokens(REFUSAL) };
    case 'contentFilter':
      return { ...base, content: null, finishReason: 'content_filter', completionTokens: 0 };
    default:
      return { ...base, content: answer.content, completionTokens: answer.completionTokens };
  }
}
