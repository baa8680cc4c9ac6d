// The row's verifiable URLs and the check of cited sources against them: unknown URLs are dropped and counted.
import type { Outputs } from '../../ports/domain.js';

/**
 * One spelling per URL: lower-case scheme and host (URL does that), no default port, no fragment, no trailing slash
 * on the path. The query stays: it can name a different page. Null for anything that is not an http(s) URL.
 */
export function normalizeUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  url.username = '';
  url.password = '';
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}${url.search}`;
}

/** The URLs this row's own tool calls returned (search results) or opened (pages' final URLs), as first seen. */
export class KnownUrls {
  private readonly byKey = new Map<string, string>();

  add(url: string): void {
    const key = normalizeUrl(url);
    if (key !== null && !this.byKey.has(key)) this.byKey.set(key, url.trim());
  }

  /** The URL as a tool returned it, when `cited` names one of them. */
  find(cited: string): string | undefined {
    const key = normalizeUrl(cited);
    return key === null ? undefined : this.byKey.get(key);
  }

  get size(): number {
    return this.byKey.size;
  }

  list(): string[] {
    return [...this.byKey.values()];
  }
}

export interface SourceCheck {
  /** Verified sources, deduplicated, spelled as the tool returned them. */
  readonly sources: readonly string[];
  /** Cited URLs no tool call of this row returned or opened (fabricated, or mistyped). */
  readonly dropped: number;
  /** Set when the row states values but cites nothing verifiable: the answer gets its one repair, then `output_invalid`. */
  readonly problem?: string;
}

/** A value a user would see in the sheet: null and blank text state nothing. */
function states(value: Outputs[string]): boolean {
  return value !== null && !(typeof value === 'string' && value.trim() === '');
}

export function checkSources(cited: readonly string[], known: KnownUrls, outputs: Outputs): SourceCheck {
  const sources: string[] = [];
  let dropped = 0;
  for (const url of cited) {
    const found = known.find(url);
    if (found === undefined) dropped++;
    else if (!sources.includes(found)) sources.push(found);
  }
  const valued = Object.values(outputs).some(states);
  if (valued && sources.length === 0) {
    const what = cited.length === 0 ? 'no sources were cited' : `none of the ${cited.length} cited sources is a URL your searches returned or pages you opened`;
    return { sources, dropped, problem: `${what}; cite in _sources the URLs from the tool results that support the values, and use null for any value they do not support` };
  }
  return { sources, dropped };
}
