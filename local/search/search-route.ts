// POST /search, Tavily-compatible: Bearer (or body api_key) auth, query → results from the corpus, faults and a rate limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendTavilyError } from './http-io.js';
import { pickFault, SEARCH_FAULTS } from './settings.js';
import type { SearchStandInState } from './state.js';

export function handleSearch(state: SearchStandInState, req: IncomingMessage, res: ServerResponse, bodyText: string | null): void {
  const at = Date.now();
  const log = (status: number | null, fault: string | null, query: string, size: number, credits: number): void =>
    state.log.append({ at, kind: 'search', target: query, status, fault, size, credits });
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(bodyText ?? '');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    log(400, null, '', 0, 0);
    return sendTavilyError(res, 400, 'The request body must be a JSON object.');
  }
  const key = bearer(req.headers.authorization) ?? (typeof body.api_key === 'string' ? body.api_key : null);
  const query = typeof body.query === 'string' ? body.query : '';
  if (key === null || key === '' || key === state.settings.rejectKey) {
    log(401, null, query, 0, 0);
    return sendTavilyError(res, 401, 'Unauthorized: missing or invalid API key.');
  }
  const maxResults = body.max_results === undefined ? 5 : body.max_results;
  const depth = body.search_depth === undefined ? 'basic' : body.search_depth;
  if (query.trim() === '' || !Number.isInteger(maxResults) || (maxResults as number) < 0 || (maxResults as number) > 20 || (depth !== 'basic' && depth !== 'advanced')) {
    log(400, null, query, 0, 0);
    return sendTavilyError(res, 400, 'Invalid request: query must be a non-empty string, max_results 0–20, search_depth basic or advanced.');
  }
  const fault = pickFault(SEARCH_FAULTS, state.settings.searchFaults, state.random());
  if (fault === 'rateLimit' || fault === 'quota') {
    const status = fault === 'rateLimit' ? 429 : 432;
    log(status, fault, query, 0, 0);
    if (fault === 'rateLimit') return sendTavilyError(res, 429, 'Your request has been blocked due to excessive requests.', { 'retry-after': '1' });
    return sendTavilyError(res, 432, 'This request exceeds your plan\'s set usage limit. Please upgrade your plan or contact support@tavily.com');
  }
  if (state.limiter) {
    const now = state.now();
    const waitMs = state.limiter.waitMs(1, now);
    if (waitMs > 0) {
      log(429, 'limit', query, 0, 0);
      return sendTavilyError(res, 429, 'Your request has been blocked due to excessive requests.', { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) });
    }
    state.limiter.take(1, now);
  }
  const delay = fault === 'slow' ? state.settings.slowMs : state.settings.latencyMs;
  const answer = (): void => {
    if (res.destroyed) return log(null, fault, query, 0, 0);
    if (fault === 'error500') {
      log(500, fault, query, 0, 0);
      return sendTavilyError(res, 500, 'Internal server error.');
    }
    const results = state.index.search(query, maxResults as number).map((hit) => ({ ...hit, raw_content: null }));
    const credits = depth === 'advanced' ? 2 : 1;
    log(200, fault, query, results.length, credits);
    sendJson(res, 200, {
      query,
      follow_up_questions: null,
      answer: null,
      images: [],
      results,
      response_time: Math.round(delay) / 1000,
      ...(body.include_usage === true ? { usage: { credits } } : {}),
      request_id: state.nextRequestId(),
    });
  };
  if (delay <= 0) return answer();
  const timer = state.schedule(delay, answer);
  res.once('close', () => {
    if (res.writableFinished) return;
    state.cancel(timer);
    log(null, fault, query, 0, 0);
  });
}

function bearer(header: string | undefined): string | null {
  if (header === undefined) return null;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token.trim() : null;
}
