// The bounded tool loop of one research row: the model searches and reads pages within the row's limits, then answers with sources.
import type { Outputs, Usage } from '../../ports/domain.js';
import { ZERO_USAGE } from '../../ports/domain.js';
import type { ChatMessage, CompletionRequest, CompletionResult, ToolCall, ToolDefinition } from '../../ports/model.js';
import type { OpenedPage, PageRequest } from '../../ports/pages.js';
import type { SearchRequest, SearchResult } from '../../ports/search.js';
import { CancelledError, OutputInvalidError, asRowfillError, type RowfillError } from '../../kernel/errors.js';
import { addUsage } from '../pricing.js';
import { repairMessages } from '../prompt.js';
import { RESEARCH_CAPS, type ResearchCaps } from './research-caps.js';
import type { ResearchSpend } from './research-cost.js';
import { maxModelTurns, type ResearchOptions } from './research-options.js';
import { RESEARCH_SCHEMA_NAME, type ResearchSchema } from './research-schema.js';
import { checkSources, KnownUrls } from './sources.js';
import { OPEN_PAGE, parseToolCall, WEB_SEARCH } from './tools.js';
import { pageResultContent, searchResultContent, smallResultContent } from './tool-results.js';

/** One model call of the loop: the Model port's request without what the caller adds (model, output cap, signal). */
export type ResearchTurn = Omit<CompletionRequest, 'model' | 'maxOutputTokens' | 'signal'> & {
  /** True for the one repair call, which a caller may rate-limit like a fresh request. */
  readonly isRepair: boolean;
};

export interface ResearchIo {
  /** The model call, with the caller's rate limits, timeout and cancellation; throws RowfillError subclasses. */
  readonly callModel: (turn: ResearchTurn) => Promise<CompletionResult>;
  /** The Search port's `search`; retryable and pausing errors end the attempt, others are told to the model. */
  readonly search: (request: SearchRequest) => Promise<SearchResult>;
  /** The Pages port's `open`; every failure is told to the model as "could not open: <class>". */
  readonly openPage: (request: PageRequest) => Promise<OpenedPage>;
  /** Cancels searches and page reads (the attempt's cancellation). */
  readonly signal: AbortSignal;
}

export interface ResearchRowInput {
  /** The first prompt: the research system prompt and the row message (research-plan.ts builds them). */
  readonly messages: readonly ChatMessage[];
  readonly tools: readonly ToolDefinition[];
  readonly schema: ResearchSchema;
  readonly options: ResearchOptions;
  readonly caps?: ResearchCaps;
}

export type ResearchOutcome =
  | {
      readonly ok: true;
      readonly outputs: Outputs;
      /** Verified URLs the values rest on, one per line in `rowfill_sources`. */
      readonly sources: readonly string[];
      /** Cited URLs that no tool call of this row returned: dropped, counted. */
      readonly droppedSources: number;
      readonly spend: ResearchSpend;
    }
  | { readonly ok: false; readonly error: RowfillError; readonly droppedSources: number; readonly spend: ResearchSpend };

type Answer = { ok: true; outputs: Outputs; sources: readonly string[]; dropped: number } | { ok: false; problem: string; dropped: number };

/** One research attempt of one row. Never throws: failures come back typed, with what was spent so far. */
export async function runResearch(row: ResearchRowInput, io: ResearchIo): Promise<ResearchOutcome> {
  const caps = row.caps ?? RESEARCH_CAPS;
  const { options, schema, tools } = row;
  const known = new KnownUrls();
  const messages: ChatMessage[] = [...row.messages];
  let usage: Usage = ZERO_USAGE;
  let searches = 0;
  let searchCalls = 0;
  let pageCalls = 0;
  let modelTurns = 0;
  let dropped = 0;
  const spend = (): ResearchSpend => ({ usage, searches, searchCalls, pageCalls, modelTurns });
  const fail = (error: unknown): ResearchOutcome => ({ ok: false, error: asRowfillError(error), droppedSources: dropped, spend: spend() });

  const call = async (turnMessages: readonly ChatMessage[], toolChoice: 'auto' | 'none', isRepair: boolean): Promise<CompletionResult> => {
    const result = await io.callModel({ messages: turnMessages, tools, toolChoice, schemaName: RESEARCH_SCHEMA_NAME, schema: schema.jsonSchema, isRepair });
    usage = addUsage(usage, result.usage);
    modelTurns++;
    return result;
  };

  const judge = (result: CompletionResult, forced: boolean): Answer => {
    if (forced && result.toolCalls && result.toolCalls.length > 0 && result.content.trim() === '') {
      return { ok: false, problem: 'no more tool calls are allowed, the answer must be the JSON object', dropped: 0 };
    }
    const parsed = schema.parse(result.content);
    if (!parsed.ok) return { ok: false, problem: parsed.problem, dropped: 0 };
    const check = checkSources(parsed.cited, known, parsed.outputs);
    if (check.problem !== undefined) return { ok: false, problem: check.problem, dropped: check.dropped };
    return { ok: true, outputs: parsed.outputs, sources: check.sources, dropped: check.dropped };
  };

  try {
    const turns = maxModelTurns(options);
    let answer: { result: CompletionResult; verdict: Answer } | undefined;
    for (let t = 0; t < turns && !answer; t++) {
      throwIfAborted(io.signal);
      const exhausted = searchCalls >= options.maxSearches && pageCalls >= options.maxPages;
      const forced = t === turns - 1 || exhausted;
      const result = await call(messages, forced ? 'none' : 'auto', false);
      const calls = result.toolCalls ?? [];
      if (forced || calls.length === 0) {
        answer = { result, verdict: judge(result, forced) };
        break;
      }
      // Calls past the per-turn cap are left out of the conversation entirely, so they need no answer and cost no prompt.
      const honored = calls.slice(0, caps.maxCallsPerTurn);
      messages.push({ role: 'assistant', content: result.content, toolCalls: honored });
      for (const toolCall of honored) {
        throwIfAborted(io.signal);
        messages.push({ role: 'tool', toolCallId: toolCall.id, content: await runTool(toolCall) });
      }
    }
    if (!answer) throw new OutputInvalidError('The model gave no answer within its turns.');
    dropped += answer.verdict.dropped;
    if (answer.verdict.ok) return done(answer.verdict);

    throwIfAborted(io.signal);
    const repair = await call(repairMessages(messages, answer.result.content, answer.verdict.problem), 'none', true);
    const second = judge(repair, true);
    dropped += second.dropped;
    if (second.ok) return done(second);
    return fail(new OutputInvalidError(`The model's research answer was invalid after one repair: ${second.problem}`));
  } catch (error) {
    return fail(error);
  }

  function done(answer: Extract<Answer, { ok: true }>): ResearchOutcome {
    return { ok: true, outputs: answer.outputs, sources: answer.sources, droppedSources: dropped, spend: spend() };
  }

  async function runTool(toolCall: ToolCall): Promise<string> {
    const parsed = parseToolCall(toolCall.name, toolCall.arguments);
    if (!parsed.ok) return smallResultContent({ error: `invalid call: ${parsed.problem}` }, caps.otherResultTokens);
    if (parsed.name === WEB_SEARCH) {
      if (searchCalls >= options.maxSearches) return smallResultContent({ error: `limit reached: at most ${options.maxSearches} searches for this row` }, caps.otherResultTokens);
      searchCalls++;
      let result: SearchResult;
      try {
        result = await io.search({ query: parsed.query, maxResults: caps.searchResults, signal: io.signal });
      } catch (error) {
        const typed = asRowfillError(error);
        // A rate limit, an outage or a lost key ends the attempt with its own class; a refused query is the model's to fix.
        if (io.signal.aborted || typed.effect !== 'fail' || typed instanceof CancelledError) throw typed;
        return smallResultContent({ error: `search failed: ${typed.errorClass}`, query: parsed.query }, caps.otherResultTokens);
      }
      searches += result.usage.searches;
      const content = searchResultContent(parsed.query, result.results, caps.searchResultTokens);
      // Only URLs the model actually sees count as returned: a hit cut for size cannot be cited.
      for (const hit of result.results) if (content.includes(JSON.stringify(hit.url).replace(/</g, '\\u003c'))) known.add(hit.url);
      return content;
    }
    if (parsed.name === OPEN_PAGE) {
      if (pageCalls >= options.maxPages) return smallResultContent({ error: `limit reached: at most ${options.maxPages} pages for this row`, url: parsed.url }, caps.otherResultTokens);
      pageCalls++;
      let page: OpenedPage;
      try {
        page = await io.openPage({ url: parsed.url, signal: io.signal });
      } catch (error) {
        if (io.signal.aborted) throw asRowfillError(io.signal.reason ?? error);
        return smallResultContent({ error: `could not open: ${asRowfillError(error).errorClass}`, url: parsed.url }, caps.otherResultTokens);
      }
      known.add(page.url);
      return pageResultContent(page, caps.pageTokens);
    }
    return smallResultContent({ error: 'invalid call' }, caps.otherResultTokens);
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw asRowfillError(signal.reason ?? new CancelledError('The row was cancelled.'));
}
