// Test doubles for research mode as plain functions: a scripted model, a small search index and a page table.
import type { CompletionResult, ToolCall } from '../../../../backend/src/ports/model.js';
import type { OpenedPage, PageRequest } from '../../../../backend/src/ports/pages.js';
import type { SearchHit, SearchRequest, SearchResult } from '../../../../backend/src/ports/search.js';
import type { ResearchIo, ResearchTurn } from '../../../../backend/src/engine/research/research-loop.js';
import { countTokens } from '../../../../backend/src/engine/tokens.js';
import { buildOutputSchema } from '../../../../backend/src/engine/output-schema.js';
import { systemPrompt } from '../../../../backend/src/engine/prompt.js';
import { buildResearchPlan } from '../../../../backend/src/engine/research/research-plan.js';
import type { ResearchOptions } from '../../../../backend/src/engine/research/research-options.js';
import type { ModelPrice } from '../../../../backend/src/kernel/models.js';

export const OUTPUTS = [
  { name: 'Founded', instruction: 'Year the brand was founded', type: 'number' as const },
  { name: 'Website', instruction: 'Official website', type: 'url' as const },
];
export const PRICE: ModelPrice = { input: 0.4, cachedInput: 0.1, output: 1.6 };

export function planFor(options: Partial<ResearchOptions> = {}, maxOutputTokens = 400) {
  const schema = buildOutputSchema(OUTPUTS);
  return buildResearchPlan({
    schema,
    system: systemPrompt(schema.fields),
    maxOutputTokens,
    price: PRICE,
    options: { enabled: true, maxSearches: 3, maxPages: 2, ...options },
  });
}

/** What a provider would bill for a turn, counted honestly from everything the request carries. */
export function billedInputTokens(turn: ResearchTurn): number {
  let total = 3 + (turn.tools ? countTokens(JSON.stringify(turn.tools)) + 16 * turn.tools.length : 0);
  for (const m of turn.messages) {
    total += 4 + countTokens(m.content) + (m.toolCallId ? countTokens(m.toolCallId) : 0);
    for (const c of m.toolCalls ?? []) total += countTokens(c.id) + countTokens(c.name) + countTokens(c.arguments) + 6;
  }
  return total;
}

let callSeq = 0;
export function toolCall(name: string, args: Record<string, unknown>): ToolCall {
  callSeq++;
  return { id: `call_${callSeq}`, name, arguments: JSON.stringify(args) };
}

export function reply(turn: ResearchTurn, answer: { content?: string; toolCalls?: ToolCall[]; outputTokens?: number }): CompletionResult {
  const content = answer.content ?? '';
  const outputTokens = answer.outputTokens ?? countTokens(content) + (answer.toolCalls ?? []).reduce((s, c) => s + countTokens(c.arguments) + countTokens(c.name) + 4, 0);
  return {
    content,
    usage: { inputTokens: billedInputTokens(turn), cachedInputTokens: 0, outputTokens },
    ...(answer.toolCalls ? { toolCalls: answer.toolCalls } : {}),
  };
}

export function answerJson(values: { founded?: number | null; website?: string | null; sources: string[] }): string {
  return JSON.stringify({ founded: values.founded ?? null, website: values.website ?? null, _sources: values.sources });
}

export interface Recorder {
  readonly turns: ResearchTurn[];
  readonly searches: string[];
  readonly pages: string[];
}

export function searchIndex(hitsFor: (query: string) => SearchHit[]) {
  return (request: SearchRequest): Promise<SearchResult> => Promise.resolve({ results: hitsFor(request.query), usage: { searches: 1, credits: 1 } });
}

export function pageTable(pages: Record<string, { title: string; text: string } | Error>) {
  return (request: PageRequest): Promise<OpenedPage> => {
    const page = pages[request.url];
    if (page === undefined) return Promise.reject(new Error(`no page ${request.url}`));
    if (page instanceof Error) return Promise.reject(page);
    return Promise.resolve({ url: request.url, title: page.title, text: page.text, truncated: false, contentType: 'text/html', bytes: page.text.length });
  };
}

export function ioWith(model: (turn: ResearchTurn, index: number) => CompletionResult, rest: Partial<ResearchIo> = {}): ResearchIo & Recorder {
  const turns: ResearchTurn[] = [];
  const searches: string[] = [];
  const pages: string[] = [];
  const search = rest.search ?? searchIndex(() => []);
  const openPage = rest.openPage ?? pageTable({});
  return {
    turns,
    searches,
    pages,
    signal: rest.signal ?? new AbortController().signal,
    callModel: (turn) => {
      turns.push(turn);
      return Promise.resolve(model(turn, turns.length - 1));
    },
    search: async (request) => {
      searches.push(request.query);
      return search(request);
    },
    openPage: async (request) => {
      pages.push(request.url);
      return openPage(request);
    },
  };
}

/** The JSON of the tool messages in a turn's prompt, in order. */
export function toolResults(turn: ResearchTurn): Array<Record<string, unknown>> {
  return turn.messages.filter((m) => m.role === 'tool').map((m) => JSON.parse(m.content) as Record<string, unknown>);
}
