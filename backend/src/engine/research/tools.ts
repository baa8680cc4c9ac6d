// The two functions a research row's model may call, as strict Chat Completions function definitions, and their argument checks.
import { z } from 'zod';
import type { ToolDefinition } from '../../ports/model.js';

export const WEB_SEARCH = 'web_search';
export const OPEN_PAGE = 'open_page';

export const WEB_SEARCH_TOOL: ToolDefinition = {
  name: WEB_SEARCH,
  description: 'Search the web. Returns result URLs, titles and snippets as JSON data. Use short, specific queries about the row.',
  parameters: {
    type: 'object',
    properties: { query: { type: 'string', description: 'The search query, e.g. "Acme Corp official site".' } },
    required: ['query'],
    additionalProperties: false,
  },
};

export const OPEN_PAGE_TOOL: ToolDefinition = {
  name: OPEN_PAGE,
  description: "Open a web page and read its text. Returns the page's final URL, title and readable text as JSON data.",
  parameters: {
    type: 'object',
    properties: { url: { type: 'string', description: 'An absolute http(s) URL, usually one a search returned.' } },
    required: ['url'],
    additionalProperties: false,
  },
};

/** The tools offered: `open_page` only when the row may read pages at all. */
export function researchTools(maxPages: number): readonly ToolDefinition[] {
  return maxPages > 0 ? [WEB_SEARCH_TOOL, OPEN_PAGE_TOOL] : [WEB_SEARCH_TOOL];
}

const searchArgs = z.object({ query: z.string().trim().min(1, 'query must not be empty').max(400, 'query must be at most 400 characters') });
const pageArgs = z.object({
  url: z
    .string()
    .trim()
    .max(2048, 'url must be at most 2048 characters')
    .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'url must be an absolute http(s) URL'),
});

export type ParsedToolCall =
  | { readonly ok: true; readonly name: typeof WEB_SEARCH; readonly query: string }
  | { readonly ok: true; readonly name: typeof OPEN_PAGE; readonly url: string }
  | { readonly ok: false; readonly problem: string };

/** The model's arguments are its own JSON text: parsed and checked here, never trusted. */
export function parseToolCall(name: string, argumentsText: string): ParsedToolCall {
  let data: unknown;
  try {
    data = JSON.parse(argumentsText);
  } catch {
    return { ok: false, problem: 'the arguments are not valid JSON' };
  }
  if (name === WEB_SEARCH) {
    const r = searchArgs.safeParse(data);
    return r.success ? { ok: true, name, query: r.data.query } : { ok: false, problem: r.error.issues[0]?.message ?? 'invalid arguments' };
  }
  if (name === OPEN_PAGE) {
    const r = pageArgs.safeParse(data);
    return r.success ? { ok: true, name, url: r.data.url } : { ok: false, problem: r.error.issues[0]?.message ?? 'invalid arguments' };
  }
  return { ok: false, problem: `there is no tool named ${JSON.stringify(name.slice(0, 64))}` };
}
