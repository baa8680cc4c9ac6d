// Tool results as the model sees them: JSON data in a tool message, cut to a cap in tokens so every prompt stays bounded.
import type { OpenedPage } from '../../ports/pages.js';
import type { SearchHit } from '../../ports/search.js';
import { countTokens } from '../tokens.js';

/** `<` escaped as in the row message, so page text cannot fake a delimiter of the prompt. */
function json(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function fitsCap(content: string, capTokens: number): boolean {
  // Characters are capped too (4 per token): some providers and the stand-in bill by a coarser count than o200k.
  return content.length <= capTokens * 4 && countTokens(content) <= capTokens;
}

/**
 * `build(limit)` with `limit` (a length for the shrinkable text) cut until the result fits: it shrinks in proportion
 * to the overshoot, a few steps at most, then to 0. Deterministic; the caller checks the result when `build(0)` may not fit.
 */
function fitLength(build: (limit: number) => string, maxLength: number, capTokens: number): string {
  // Never more than the character cap: a long page is not tokenized whole.
  let limit = Math.min(maxLength, capTokens * 4);
  for (let step = 0; step < 8 && limit > 0; step++) {
    const content = build(limit);
    if (fitsCap(content, capTokens)) return content;
    const ratio = Math.min(capTokens / Math.max(1, countTokens(content)), (capTokens * 4) / content.length);
    limit = Math.floor(limit * Math.min(0.9, ratio * 0.95));
  }
  return build(0);
}

/** Search hits; hits are dropped from the end only when even empty snippets do not fit. A URL is never cut. */
export function searchResultContent(query: string, hits: readonly SearchHit[], capTokens: number): string {
  const q = query.slice(0, 400);
  for (let n = hits.length; n > 0; n--) {
    const kept = hits.slice(0, n);
    const build = (limit: number): string =>
      json({ query: q, results: kept.map((h) => ({ url: h.url, title: h.title.slice(0, Math.min(200, limit)), content: h.content.slice(0, limit) })) });
    const content = fitLength(build, Math.max(0, ...kept.map((h) => h.content.length)), capTokens);
    if (fitsCap(content, capTokens)) return content;
  }
  return smallResultContent({ query: q, results: [] }, capTokens);
}

/** An opened page: its final URL, title and as much of its text as fits. */
export function pageResultContent(page: OpenedPage, capTokens: number): string {
  const build = (limit: number): string =>
    json({ url: page.url, title: page.title.slice(0, 200), text: page.text.slice(0, limit), truncated: page.truncated || limit < page.text.length });
  const content = fitLength(build, page.text.length, capTokens);
  return fitsCap(content, capTokens) ? content : smallResultContent({ url: page.url, error: 'could not open: the page is too long to show' }, capTokens);
}

/** A small result (a limit reached, bad arguments, a page that could not be opened); string fields are cut to fit. */
export function smallResultContent(fields: Readonly<Record<string, string | readonly never[]>>, capTokens: number): string {
  const build = (limit: number): string => json(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, limit) : v])));
  const longest = Math.max(0, ...Object.values(fields).map((v) => (typeof v === 'string' ? v.length : 0)));
  return fitLength(build, longest, capTokens);
}
