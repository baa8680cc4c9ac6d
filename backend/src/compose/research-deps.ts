// Research mode's search and page reader for a deployed backend: Tavily and the public web when a key is set, else none.
import { TavilySearch } from '../adapters/tavily/tavily-search.js';
import { WebPages } from '../adapters/web-pages/web-pages.js';
import type { ServerResearchSettings } from '../config.js';
import type { Pages } from '../ports/pages.js';
import type { Search } from '../ports/search.js';

export interface ResearchDeps {
  readonly search: Search;
  readonly pages: Pages;
}

/**
 * Undefined without TAVILY_API_KEY: the backend then refuses research jobs at estimate and start (the backend's
 * `researchUnavailable`), so a missing key is one clear config error, not every row failing.
 */
export function researchDeps(settings: ServerResearchSettings): ResearchDeps | undefined {
  if (!settings.tavilyApiKey) return undefined;
  return {
    search: new TavilySearch({ apiKey: settings.tavilyApiKey, baseURL: settings.tavilyBaseUrl, requestsPerMinute: settings.searchRpm }),
    // The public web only: private, loopback, link-local and metadata addresses are refused before any connection.
    pages: new WebPages(),
  };
}
