// The search stand-in over HTTP: Tavily's request and error shapes, the rate limit, faults, the page server, admin routes.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSearchStandIn, type SearchStandIn } from '../../../../local/search/server.js';

let standIn: SearchStandIn;

beforeAll(async () => {
  standIn = await startSearchStandIn({ seed: 1 });
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.configure({ rpm: null, searchFaults: { rateLimit: 0, error500: 0, quota: 0, slow: 0 }, pageFaults: { blocked: 0, challenge: 0, notFound: 0, error500: 0, slow: 0 } });
  standIn.resetLog();
});

async function search(body: unknown, key: string | null = 'tvly-test'): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(`${standIn.url}/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

/** GET a stand-in page as the fetcher would: to 127.0.0.1 with the page's own Host header. */
function getPage(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: standIn.port, path: target.pathname, headers: { host: target.host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('POST /search', () => {
  it("answers Tavily's shape with the named company's pages first", async () => {
    const { status, json } = await search({ query: 'When was Canada Goose founded?', max_results: 3, include_usage: true });
    expect(status).toBe(200);
    expect(json).toMatchObject({ query: 'When was Canada Goose founded?', answer: null, images: [], usage: { credits: 1 } });
    const results = json.results as { url: string; title: string; content: string; score: number }[];
    expect(results.map((r) => new URL(r.url).hostname)).toEqual(['canada-goose.rowfill.test', 'canada-goose.rowfill.test', 'directory.rowfill.test']);
    expect(results[0]!.content).toMatch(/Canada Goose was founded in \d{4}/);
  });

  it('accepts the key in the body (the older Tavily style) and honours max_results', async () => {
    const { status, json } = await search({ api_key: 'tvly-body', query: 'Nike', max_results: 1 }, null);
    expect(status).toBe(200);
    expect(json.results).toHaveLength(1);
  });

  it('answers 401 for a missing or rejected key, 400 for a bad body, in Tavily\'s error shape', async () => {
    expect(await search({ query: 'Nike' }, null)).toMatchObject({ status: 401, json: { detail: { error: 'Unauthorized: missing or invalid API key.' } } });
    expect((await search({ query: 'Nike' }, 'tvly-invalid')).status).toBe(401);
    expect((await search('not json')).status).toBe(400);
    expect((await search({ query: '' })).status).toBe(400);
    expect((await search({ query: 'Nike', max_results: 50 })).status).toBe(400);
    expect(standIn.usage.searches).toBe(0);
  });

  it('limits requests per minute with 429 and a retry-after, and bills only answered searches', async () => {
    standIn.configure({ rpm: 60, burstSeconds: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await search({ query: 'Puma' })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    const limited = await search({ query: 'Puma' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(standIn.usage).toMatchObject({ searches: 2, credits: 2 });
  });

  it.each([
    ['rateLimit', 429],
    ['error500', 500],
    ['quota', 432],
  ] as const)('the %s fault answers %d', async (fault, status) => {
    standIn.configure({ searchFaults: { [fault]: 1 } });
    expect((await search({ query: 'Nike' })).status).toBe(status);
    expect(standIn.requestLog.at(-1)).toMatchObject({ kind: 'search', status, fault });
  });

  it('draws faults reproducibly from the seed', async () => {
    const run = async (): Promise<number[]> => {
      standIn.configure({ seed: 42, searchFaults: { error500: 0.3 } });
      const statuses = [];
      for (let i = 0; i < 10; i++) statuses.push((await search({ query: 'Nike' })).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });
});

describe('the page server', () => {
  it('serves every search result as HTML with boilerplate around the facts', async () => {
    const { json } = await search({ query: 'Patagonia', max_results: 3 });
    for (const result of json.results as { url: string }[]) {
      const page = await getPage(result.url);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('Patagonia');
      expect(page.body).toMatch(/<nav>.*<\/nav>/s);
      expect(page.body).toMatch(/<footer>.*<\/footer>/s);
    }
    expect(standIn.usage.pages).toBe(3);
  });

  it('answers 404 for unknown companies and paths', async () => {
    expect((await getPage(`http://no-such-company.rowfill.test:${standIn.port}/`)).status).toBe(404);
    expect((await getPage(standIn.pageUrl('nike', 'home').replace(/\/$/, '/careers'))).status).toBe(404);
  });

  it.each([
    ['blocked', 403],
    ['challenge', 403],
    ['notFound', 404],
    ['error500', 500],
  ] as const)('the %s page fault answers %d', async (fault, status) => {
    standIn.configure({ pageFaults: { [fault]: 1 } });
    const page = await getPage(standIn.pageUrl('nike', 'about'));
    expect(page.status).toBe(status);
    if (fault === 'challenge') expect(page.headers['cf-mitigated']).toBe('challenge');
  });
});

describe('admin routes and the resolver', () => {
  it('reads and changes settings, with the bad field named', async () => {
    const changed = await fetch(`${standIn.url}/_standin/config`, { method: 'POST', body: JSON.stringify({ latencyMs: 3 }) });
    expect(((await changed.json()) as { latencyMs: number }).latencyMs).toBe(3);
    const bad = await fetch(`${standIn.url}/_standin/config`, { method: 'POST', body: JSON.stringify({ rpm: -1 }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ detail: { error: 'SearchStandIn: rpm must be a positive number or null, got -1' } });
    standIn.configure({ latencyMs: 0 });
  });

  it('exposes the log and the billing counter, and clears them', async () => {
    await search({ query: 'Nike' });
    expect(await (await fetch(`${standIn.url}/_standin/usage`)).json()).toEqual({ searches: 1, credits: 1, pages: 0 });
    expect(((await (await fetch(`${standIn.url}/_standin/log`)).json()) as unknown[]).length).toBe(1);
    await fetch(`${standIn.url}/_standin/log`, { method: 'DELETE' });
    expect(standIn.usage).toEqual({ searches: 0, credits: 0, pages: 0 });
  });

  it('resolves only *.rowfill.test, to loopback', async () => {
    await expect(standIn.resolve('nike.rowfill.test')).resolves.toEqual([{ address: '127.0.0.1', family: 4 }]);
    await expect(standIn.resolve('www.nike.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('refuses unknown options with an exact message', async () => {
    await expect(startSearchStandIn({ faults: {} } as never)).rejects.toThrow('SearchStandIn: unknown option "faults"');
    await expect(startSearchStandIn({ searchFaults: { error500: 0.8, rateLimit: 0.5 } })).rejects.toThrow('SearchStandIn: searchFaults probabilities must sum to at most 1, got 1.3');
  });
});
