// Search and Pages for the embedded engine that start their wiring (Tavily or the local stand-in) at the first research call.
import type { OpenedPage, PageRequest, Pages } from '../ports/pages.js';
import type { Search, SearchRequest, SearchResult } from '../ports/search.js';
import type { ResearchWiring, ResearchWiringOptions } from './dev-wiring-search.js';

/**
 * Plain jobs, `rowfill status` and `--version` never load the search adapters nor start a stand-in: the wiring module
 * is imported and started once, when a row first searches or opens a page. Whether results are simulated is known
 * before that from the options alone (no key means the stand-in).
 */
export class LazyResearch implements Search, Pages {
  readonly simulated: boolean;
  private wiring: Promise<ResearchWiring> | undefined;
  private closed = false;

  constructor(private readonly options: ResearchWiringOptions) {
    this.simulated = !options.tavilyApiKey;
  }

  /** True once a row has searched or opened a page in this process. */
  get started(): boolean {
    return this.wiring !== undefined;
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    return (await this.start()).search.search(request);
  }

  async open(request: PageRequest): Promise<OpenedPage> {
    return (await this.start()).pages.open(request);
  }

  /** The running wiring, started on first use (tests and the bench read the stand-in's log through it). */
  start(): Promise<ResearchWiring> {
    if (this.closed) return Promise.reject(new Error('LazyResearch: already closed'));
    this.wiring ??= import('./dev-wiring-search.js').then(({ startResearchWiring }) => startResearchWiring(this.options));
    // A failed start is not cached: the next call tries again (the row's attempt fails and is retried by the engine).
    this.wiring.catch(() => (this.wiring = undefined));
    return this.wiring;
  }

  async close(): Promise<void> {
    this.closed = true;
    const wiring = this.wiring;
    this.wiring = undefined;
    if (wiring) await wiring.then((w) => w.close(), () => undefined);
  }
}
