// Starts the Tavily-compatible search stand-in on 127.0.0.1: POST /search, the corpus's pages by Host, /_standin admin routes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin } from './admin.js';
import type { Company } from './corpus.js';
import { readBody, sendTavilyError } from './http-io.js';
import { handlePage, isPageHost } from './page-route.js';
import type { SearchBilling, SearchLogEntry } from './request-log.js';
import { standInResolver, type StandInAddress } from './resolver.js';
import { handleSearch } from './search-route.js';
import { applySearchSettings, DEFAULT_SEARCH_SETTINGS, type SearchStandInSettings, type SearchStandInSettingsPatch } from './settings.js';
import { SearchStandInState } from './state.js';

export interface SearchStandInOptions extends SearchStandInSettingsPatch {
  /** TCP port on 127.0.0.1; default 0 picks a free one. */
  readonly port?: number;
}

export interface SearchStandIn {
  /** Base URL for TAVILY_BASE_URL (the search endpoint is `${url}/search`). */
  readonly url: string;
  readonly port: number;
  /** Resolves `*.rowfill.test` to 127.0.0.1 and nothing else: pass it as the page fetcher's `resolve`. */
  readonly resolve: (hostname: string) => Promise<readonly StandInAddress[]>;
  /** Live view of the log. */
  readonly requestLog: readonly SearchLogEntry[];
  /** Searches answered 200 and credits charged, pages served: the stand-in's own billing count. */
  readonly usage: SearchBilling;
  readonly settings: SearchStandInSettings;
  readonly companies: readonly Company[];
  /** The URL of a company's page (`about`, `home` or `directory`). */
  pageUrl(slug: string, kind: 'about' | 'home' | 'directory'): string;
  configure(patch: SearchStandInSettingsPatch): SearchStandInSettings;
  resetLog(): void;
  close(): Promise<void>;
}

export async function startSearchStandIn(options: SearchStandInOptions = {}): Promise<SearchStandIn> {
  const { port = 0, ...patch } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`SearchStandIn: port must be an integer from 0 to 65535, got ${JSON.stringify(port)}`);
  }
  const state = new SearchStandInState(applySearchSettings(DEFAULT_SEARCH_SETTINGS, patch));
  const server = createServer({ requestTimeout: 0 }, (req, res) => route(state, req, res));
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  state.port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${state.port}`,
    port: state.port,
    resolve: standInResolver,
    requestLog: state.log.entries,
    get usage() {
      return state.log.usage;
    },
    get settings() {
      return state.settings;
    },
    get companies() {
      return state.index.companies;
    },
    pageUrl: (slug, kind) => {
      const company = state.bySlug.get(slug);
      if (!company) throw new Error(`SearchStandIn: no company "${slug}" in the corpus`);
      return state.index.urlOf(company, kind);
    },
    configure: (settingsPatch) => state.configure(settingsPatch),
    resetLog: () => state.log.clear(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        state.cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function route(state: SearchStandInState, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const method = req.method ?? 'GET';
  const host = hostOf(req.headers.host);
  if (isPageHost(host)) {
    req.resume();
    if (method !== 'GET' && method !== 'HEAD') return sendTavilyError(res, 405, 'Method not allowed');
    return handlePage(state, req, res, host, path);
  }
  readBody(req, (body) => {
    const key = `${method} ${path}`;
    if (key === 'POST /search') return handleSearch(state, req, res, body);
    if (handleAdmin(state, res, key, body)) return;
    sendTavilyError(res, 404, `Not found (${method} ${path})`);
  });
}

function hostOf(header: string | undefined): string {
  const host = (header ?? '').toLowerCase();
  const colon = host.lastIndexOf(':');
  return colon > 0 && !host.endsWith(']') ? host.slice(0, colon) : host;
}
