// Dev wiring for research mode: Tavily and the public web with TAVILY_API_KEY, else the local search stand-in and its pages.
import { TavilySearch } from '../adapters/tavily/tavily-search.js';
import { WebPages } from '../adapters/web-pages/web-pages.js';
import type { Pages } from '../ports/pages.js';
import type { Search } from '../ports/search.js';
import { standInResolver } from '../../../local/search/resolver.js';
import { startSearchStandIn, type SearchStandIn, type SearchStandInOptions } from '../../../local/search/server.js';

export type { SearchStandIn, SearchStandInOptions };

export interface ResearchWiringOptions {
  /** TAVILY_API_KEY; without it the local stand-in answers and results are labelled simulated. */
  readonly tavilyApiKey?: string | undefined;
  /** TAVILY_BASE_URL (any Tavily-compatible endpoint). */
  readonly tavilyBaseUrl?: string | undefined;
  /** `--search-rpm`: searches per minute this process sends at most. */
  readonly searchRpm?: number | undefined;
  /** Settings of the stand-in when it is started (latency, limits, faults). */
  readonly standIn?: SearchStandInOptions | undefined;
  /**
   * With a key: `tavilyBaseUrl` is a local search stand-in started elsewhere (a test, `npx tsx local/search/main.ts`),
   * so pages are read from it — names under rowfill.test resolve to 127.0.0.1, nothing else resolves — not the web.
   */
  readonly standInPages?: boolean | undefined;
}

export interface ResearchWiring {
  readonly search: Search;
  readonly pages: Pages;
  /** Set when searches and pages come from the local stand-in. */
  readonly standIn: SearchStandIn | undefined;
  readonly simulated: boolean;
  close(): Promise<void>;
}

/** A demo-like default for the stand-in: a search takes a few hundred ms, as Tavily's would. */
export const DEMO_SEARCH_STAND_IN: SearchStandInOptions = { latencyMs: 300 };

export async function startResearchWiring(options: ResearchWiringOptions = {}): Promise<ResearchWiring> {
  const rpm = options.searchRpm !== undefined ? { requestsPerMinute: options.searchRpm } : {};
  if (options.tavilyApiKey) {
    return {
      search: new TavilySearch({ apiKey: options.tavilyApiKey, baseURL: options.tavilyBaseUrl, ...rpm }),
      // The public web only: the fetcher refuses private, loopback, link-local and metadata addresses.
      pages: options.standInPages ? new WebPages({ allowLoopback: true, resolve: standInResolver }) : new WebPages(),
      standIn: undefined,
      simulated: false,
      close: () => Promise.resolve(),
    };
  }
  const standIn = await startSearchStandIn(options.standIn ?? DEMO_SEARCH_STAND_IN);
  return {
    search: new TavilySearch({ apiKey: 'tvly-local-stand-in', baseURL: standIn.url, simulated: true, ...rpm }),
    // The stand-in's pages live under *.rowfill.test, resolved to 127.0.0.1 by its own resolver and nothing else.
    pages: new WebPages({ allowLoopback: true, resolve: standIn.resolve }),
    standIn,
    simulated: true,
    close: () => standIn.close(),
  };
}
