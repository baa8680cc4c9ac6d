// Function calling in the stand-in: with research tools it searches from the row, opens pages, then answers citing them.
import { stableHash } from './prng.js';
import { isRecord, messageText, rowInputsFrom, rowKeyOf, type WireMessage } from './row-inputs.js';
import { simulateAnswer, slugOf } from './schema-answer.js';
import { approximateTokens, type SimulatedCompletion, type SimulatedRequest } from './simulate.js';

/** The request fields function calling adds. */
export interface ToolRequest extends SimulatedRequest {
  readonly tools?: unknown;
  readonly tool_choice?: unknown;
}

export interface WireToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

export interface ToolAwareCompletion extends SimulatedCompletion {
  /** The calls of a tool turn (then `content` is ''), or null for an answer. */
  readonly toolCalls: readonly WireToolCall[] | null;
}

/** Searches the stand-in makes per row before it reads pages, and pages it reads before it answers. */
const SEARCHES = 2;
const PAGES = 2;
const SOURCES_KEY = /^_?sources$/i;
const YEAR_WORDS = /\byears?\b|founded|established|since/i;
const URL_WORDS = /\burls?\b|website|web site|domain|homepage|home page/i;
const FOUNDED_IN = /\b(?:founded|established|began|since|started)\b\D{0,40}?\b(1[6-9]\d\d|20[0-4]\d)\b/i;

interface Findings {
  readonly searches: number;
  readonly pageCalls: number;
  readonly requestedPages: ReadonlySet<string>;
  readonly searchesBlocked: boolean;
  readonly pagesBlocked: boolean;
  /** Search result URLs, in the order they came. */
  readonly resultUrls: readonly string[];
  /** Final URLs of pages that opened. */
  readonly openedUrls: readonly string[];
  /** Every snippet and page text, opened pages first: where facts are looked up. */
  readonly texts: readonly string[];
}

/**
 * The stand-in's answer to a request that offers a `web_search` tool, or null for any other request (which the
 * ordinary simulation answers). Deterministic: the same conversation gives the same calls and the same answer.
 */
export function toolAwareCompletion(request: ToolRequest): ToolAwareCompletion | null {
  const offered = toolNames(request.tools);
  if (!offered.has('web_search')) return null;
  const inputs = rowInputsFrom(request.messages) ?? {};
  const rowKey = rowKeyOf(inputs);
  const subject = firstValue(inputs);
  const found = findings(request.messages);
  const promptTokens = Math.ceil(request.messages.reduce((sum, m) => sum + messageText(m).length, 0) / 4);
  const mayCall = !isNone(request.tool_choice);

  const call = mayCall ? nextCall(subject, found, offered) : null;
  if (call) {
    const id = `call_${stableHash(`${rowKey}\u0000${request.messages.length}\u0000${call.name}`).toString(36)}`;
    const toolCalls = [{ id, type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.args) } }];
    return { content: '', finishReason: 'stop', promptTokens, completionTokens: approximateTokens(JSON.stringify(toolCalls)), rowKey, toolCalls };
  }
  const full = JSON.stringify(answerFor(request.response_format, inputs, subject, found));
  const cap = request.max_completion_tokens ?? request.max_tokens ?? null;
  const cut = cap !== null && approximateTokens(full) > cap;
  const content = cut ? full.slice(0, Math.max(0, cap * 4)) : full;
  return { content, finishReason: cut ? 'length' : 'stop', promptTokens, completionTokens: approximateTokens(content), rowKey, toolCalls: null };
}

/** The `fabricatedCitation` fault: the answer's sources become one URL no tool returned. Other content is unchanged. */
export function fabricateCitation(content: string, rowKey: string | null): string {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch {
    return content;
  }
  if (!isRecord(data)) return content;
  const key = Object.keys(data).find((k) => SOURCES_KEY.test(k));
  if (key === undefined) return content;
  const invented = `https://facts-${(stableHash(rowKey ?? content) % 100_000).toString(36)}.invented.example/about`;
  return JSON.stringify({ ...data, [key]: [invented] });
}

function nextCall(subject: string, found: Findings, offered: ReadonlySet<string>): { name: string; args: Record<string, string> } | null {
  const queries = [`${subject} official site`, `${subject} founded year`];
  if (!found.searchesBlocked && found.searches < Math.min(SEARCHES, queries.length)) return { name: 'web_search', args: { query: queries[found.searches]! } };
  if (!offered.has('open_page') || found.pagesBlocked || found.pageCalls >= PAGES) return null;
  // The row's own site first (its host carries the row's slug), then other results in order.
  const slug = slugOf(subject);
  const fresh = found.resultUrls.filter((u) => !found.requestedPages.has(u));
  const next = fresh.find((u) => hostOf(u).includes(slug)) ?? fresh[0];
  return next === undefined ? null : { name: 'open_page', args: { url: next } };
}

function findings(messages: readonly WireMessage[]): Findings {
  let searches = 0;
  let pageCalls = 0;
  let searchesBlocked = false;
  let pagesBlocked = false;
  const requestedPages = new Set<string>();
  const resultUrls: string[] = [];
  const openedUrls: string[] = [];
  const pageTexts: string[] = [];
  const snippets: string[] = [];
  for (const message of messages) {
    for (const call of toolCallsOf(message)) {
      if (call.name === 'web_search') searches++;
      if (call.name === 'open_page') {
        pageCalls++;
        const url = argument(call.arguments, 'url');
        if (url !== null) requestedPages.add(url);
      }
    }
    if (message.role !== 'tool') continue;
    const result = parseJson(messageText(message));
    if (!isRecord(result)) continue;
    const error = typeof result.error === 'string' ? result.error : '';
    if (/limit reached.*search/i.test(error)) searchesBlocked = true;
    if (/limit reached.*page/i.test(error)) pagesBlocked = true;
    if (error !== '') continue;
    if (Array.isArray(result.results)) {
      for (const hit of result.results) {
        if (!isRecord(hit) || typeof hit.url !== 'string') continue;
        if (!resultUrls.includes(hit.url)) resultUrls.push(hit.url);
        snippets.push(`${typeof hit.title === 'string' ? hit.title : ''} ${typeof hit.content === 'string' ? hit.content : ''}`);
      }
    } else if (typeof result.url === 'string' && typeof result.text === 'string') {
      openedUrls.push(result.url);
      pageTexts.push(result.text);
    }
  }
  return { searches, pageCalls, requestedPages, searchesBlocked, pagesBlocked, resultUrls, openedUrls, texts: [...pageTexts, ...snippets] };
}

/** The simulated answer, with what the tool results say put in: the founding year, the row's site, and the sources. */
function answerFor(responseFormat: unknown, inputs: Readonly<Record<string, unknown>>, subject: string, found: Findings): unknown {
  const format = isRecord(responseFormat) ? responseFormat : {};
  const spec = isRecord(format.json_schema) ? format.json_schema : {};
  const schema = isRecord(spec.schema) ? spec.schema : { type: 'object', properties: {} };
  const answer = simulateAnswer(schema, inputs);
  if (!isRecord(answer) || !isRecord(schema.properties)) return answer;
  const sources = [...found.openedUrls, ...found.resultUrls.filter((u) => !found.openedUrls.includes(u))].slice(0, 3);
  const year = foundingYear(found.texts);
  const site = officialSite(subject, [...found.openedUrls, ...found.resultUrls]);
  const result: Record<string, unknown> = { ...answer };
  for (const [key, sub] of Object.entries(schema.properties)) {
    if (!isRecord(sub)) continue;
    const about = `${key} ${typeof sub.description === 'string' ? sub.description : ''}`;
    const nullable = Array.isArray(sub.type) && sub.type.includes('null');
    if (SOURCES_KEY.test(key)) result[key] = sources;
    // Nothing was found at all: a value no source supports comes back null, as the system prompt asks.
    else if (sources.length === 0 && nullable) result[key] = null;
    else if (isNumeric(sub) && YEAR_WORDS.test(about)) result[key] = year !== null && withinBounds(sub, year) ? year : nullable ? null : result[key];
    else if (isText(sub) && URL_WORDS.test(about)) result[key] = site ?? (nullable ? null : result[key]);
  }
  return result;
}

function foundingYear(texts: readonly string[]): number | null {
  for (const text of texts) {
    const match = FOUNDED_IN.exec(text);
    if (match) return Number(match[1]);
  }
  return null;
}

function officialSite(subject: string, urls: readonly string[]): string | null {
  const slug = slugOf(subject);
  const own = urls.find((u) => hostOf(u).includes(slug));
  if (own === undefined) return null;
  return `${new URL(own).origin}/`;
}

function toolNames(tools: unknown): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(tools)) return names;
  for (const tool of tools) {
    if (isRecord(tool) && isRecord(tool.function) && typeof tool.function.name === 'string') names.add(tool.function.name);
  }
  return names;
}

function isNone(choice: unknown): boolean {
  return choice === 'none' || (isRecord(choice) && choice.type === 'none');
}

function toolCallsOf(message: WireMessage): Array<{ name: string; arguments: string }> {
  const calls = (message as { tool_calls?: unknown }).tool_calls;
  if (message.role !== 'assistant' || !Array.isArray(calls)) return [];
  return calls.flatMap((c: unknown) =>
    isRecord(c) && isRecord(c.function) && typeof c.function.name === 'string'
      ? [{ name: c.function.name, arguments: typeof c.function.arguments === 'string' ? c.function.arguments : '' }]
      : [],
  );
}

function argument(text: string, name: string): string | null {
  const parsed = parseJson(text);
  return isRecord(parsed) && typeof parsed[name] === 'string' ? parsed[name] : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

function firstValue(inputs: Readonly<Record<string, unknown>>): string {
  for (const value of Object.values(inputs)) if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 80);
  return 'this company';
}

function typesOf(schema: Readonly<Record<string, unknown>>): unknown[] {
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function isNumeric(schema: Readonly<Record<string, unknown>>): boolean {
  return typesOf(schema).some((t) => t === 'number' || t === 'integer');
}

function isText(schema: Readonly<Record<string, unknown>>): boolean {
  return typesOf(schema).includes('string') && !Array.isArray(schema.enum);
}

function withinBounds(schema: Readonly<Record<string, unknown>>, value: number): boolean {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
  const max = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
  return value >= min && value <= max;
}

/** Faults about an answer's text do not apply to a turn that only calls tools; the others (refusal, usage, …) do. */
const CONTENT_FAULTS: ReadonlySet<string> = new Set(['malformed', 'invalidOutput', 'hugeAnswer', 'fabricatedCitation']);

export function faultForTurn<F extends string>(fault: F | null, answer: SimulatedCompletion & { readonly toolCalls?: unknown }): F | null {
  return fault !== null && Array.isArray(answer.toolCalls) && CONTENT_FAULTS.has(fault) ? null : fault;
}

/** A tool turn's 200 body: the calls on the message, null content, finish_reason `tool_calls`. Other bodies pass unchanged. */
export function withToolCalls(body: Record<string, unknown>, answer: SimulatedCompletion & { readonly toolCalls?: readonly WireToolCall[] | null }, fault: string | null): Record<string, unknown> {
  if (!answer.toolCalls || fault === 'refusal' || fault === 'contentFilter') return body;
  const choices = Array.isArray(body.choices) ? body.choices : [];
  return {
    ...body,
    choices: choices.map((choice: unknown) =>
      isRecord(choice) && isRecord(choice.message)
        ? { ...choice, message: { ...choice.message, content: null, tool_calls: answer.toolCalls }, finish_reason: 'tool_calls' }
        : choice,
    ),
  };
}

/**
 * OpenAI's own checks of a conversation with tools: a `tool` message must answer a call of the assistant message
 * before it, and every call must be answered before the next turn. Null when the conversation is well formed.
 */
export function toolMessageProblem(messages: readonly WireMessage[], tools: unknown): string | null {
  if (tools !== undefined && tools !== null) {
    if (!Array.isArray(tools)) return "Invalid 'tools': expected an array.";
    for (const [i, tool] of tools.entries()) {
      if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function) || typeof tool.function.name !== 'string' || tool.function.name === '') {
        return `Invalid 'tools[${i}]': expected a function tool with a name.`;
      }
    }
  }
  let open = new Set<string>();
  for (const message of messages) {
    if (message.role === 'tool') {
      const id = (message as { tool_call_id?: unknown }).tool_call_id;
      if (typeof id !== 'string' || !open.has(id)) return "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.";
      open.delete(id);
      continue;
    }
    if (open.size > 0) {
      return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open].join(', ')}`;
    }
    const calls = (message as { tool_calls?: unknown }).tool_calls;
    open = new Set(message.role === 'assistant' && Array.isArray(calls) ? calls.flatMap((c: unknown) => (isRecord(c) && typeof c.id === 'string' ? [c.id] : [])) : []);
  }
  return null;
}
