// The loopback page server: serves the corpus's pages by Host header (`<slug>.rowfill.test`, `directory.rowfill.test`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DIRECTORY_HOST, STANDIN_DOMAIN, type Company } from './corpus.js';
import { sendHtml } from './http-io.js';
import { renderPage, type PageKind } from './pages-html.js';
import { PAGE_FAULTS, pickFault } from './settings.js';
import type { SearchStandInState } from './state.js';

/** True when the request is for a page of the stand-in's web rather than for its API. */
export function isPageHost(host: string): boolean {
  return host === STANDIN_DOMAIN || host.endsWith(`.${STANDIN_DOMAIN}`);
}

export function handlePage(state: SearchStandInState, req: IncomingMessage, res: ServerResponse, host: string, path: string): void {
  const at = Date.now();
  const target = `http://${req.headers.host ?? host}${path}`;
  const log = (status: number | null, fault: string | null, size: number): void => state.log.append({ at, kind: 'page', target, status, fault, size, credits: 0 });
  const found = lookupPage(state, host, path);
  const fault = pickFault(PAGE_FAULTS, state.settings.pageFaults, state.random());
  const delay = fault === 'slow' ? state.settings.slowMs : state.settings.pageLatencyMs;
  const answer = (): void => {
    if (res.destroyed) return log(null, fault, 0);
    if (fault === 'blocked') return log(403, fault, sendHtml(res, 403, '<!doctype html><title>403 Forbidden</title><h1>Forbidden</h1>'));
    if (fault === 'challenge') {
      return log(403, fault, sendHtml(res, 403, '<!doctype html><title>Just a moment...</title><p>Checking your browser.</p>', { 'cf-mitigated': 'challenge' }));
    }
    if (fault === 'error500') return log(500, fault, sendHtml(res, 500, '<!doctype html><title>500</title><h1>Server error</h1>'));
    if (fault === 'notFound' || !found) return log(404, fault, sendHtml(res, 404, '<!doctype html><title>Not found</title><h1>Page not found</h1>'));
    log(200, fault, sendHtml(res, 200, renderPage(found.company, found.kind).html));
  };
  if (delay <= 0) return answer();
  const timer = state.schedule(delay, answer);
  res.once('close', () => {
    if (res.writableFinished) return;
    state.cancel(timer);
    log(null, fault, 0);
  });
}

function lookupPage(state: SearchStandInState, host: string, path: string): { company: Company; kind: PageKind } | null {
  if (host === DIRECTORY_HOST) {
    const prefix = '/companies/';
    const company = path.startsWith(prefix) ? state.bySlug.get(path.slice(prefix.length)) : undefined;
    return company ? { company, kind: 'directory' } : null;
  }
  const company = state.bySlug.get(host.slice(0, -(STANDIN_DOMAIN.length + 1)));
  if (!company) return null;
  if (path === '/') return { company, kind: 'home' };
  if (path === '/about') return { company, kind: 'about' };
  return null;
}
