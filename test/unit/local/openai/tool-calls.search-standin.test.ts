// The OpenAI stand-in's function calling over the search stand-in's web: research rows with no key and no internet.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiModelClient } from '../../../../backend/src/adapters/openai/openai-model-client.js';
import { TavilySearch } from '../../../../backend/src/adapters/tavily/tavily-search.js';
import { WebPages } from '../../../../backend/src/adapters/web-pages/web-pages.js';
import { buildOutputSchema } from '../../../../backend/src/engine/output-schema.js';
import { systemPrompt } from '../../../../backend/src/engine/prompt.js';
import { buildResearchPlan } from '../../../../backend/src/engine/research/research-plan.js';
import type { ResearchIo } from '../../../../backend/src/engine/research/research-loop.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';
import { startSearchStandIn, type SearchStandIn } from '../../../../local/search/server.js';

const OUTPUTS = [
  { name: 'Founded', instruction: 'Year the brand was founded', type: 'number' as const },
  { name: 'Website', instruction: 'Official website', type: 'url' as const },
];
const BRANDS = ['Patagonia', 'Nike', 'Adidas', 'Puma'];

let openai: OpenAiStandIn;
let web: SearchStandIn;
let io: ResearchIo;
/** Every URL the search adapter handed to the loop. */
const returned = new Set<string>();
const schema = buildOutputSchema(OUTPUTS);
const plan = buildResearchPlan({ schema, system: systemPrompt(schema.fields), maxOutputTokens: 300, price: { input: 0.4, cachedInput: 0.1, output: 1.6 }, options: { enabled: true, maxSearches: 3, maxPages: 2 } });

beforeAll(async () => {
  [openai, web] = await Promise.all([startOpenAiStandIn(), startSearchStandIn()]);
  const model = new OpenAiModelClient({ apiKey: 'sk-test', baseURL: openai.url, simulated: true });
  const search = new TavilySearch({ apiKey: 'tvly-test', baseURL: web.url, simulated: true, maxAttempts: 1 });
  const pages = new WebPages({ allowLoopback: true, resolve: (hostname) => web.resolve(hostname), maxAttempts: 1 });
  io = {
    signal: new AbortController().signal,
    callModel: (turn) => model.complete({ ...turn, model: 'gpt-4.1-mini', maxOutputTokens: 300, signal: AbortSignal.timeout(10_000) }),
    search: async (request) => {
      const result = await search.search(request);
      for (const hit of result.results) returned.add(hit.url);
      return result;
    },
    openPage: (request) => pages.open(request),
  };
});
afterAll(async () => {
  await Promise.all([openai.close(), web.close()]);
});
beforeEach(() => {
  openai.configure({ faults: { fabricatedCitation: 0 } });
});

describe('research rows over both stand-ins', () => {
  it('fills each row with the facts of its own pages and cites only URLs the searches returned or the pages opened', async () => {
    for (const brand of BRANDS) {
      web.resetLog();
      const outcome = await plan.run({ Brand: brand }, io);
      expect(outcome.ok, brand).toBe(true);
      if (!outcome.ok) continue;
      const company = web.companies.find((c) => c.name === brand)!;
      expect(outcome.outputs.Founded).toBe(company.founded);
      expect(outcome.outputs.Website).toBe(`${new URL(web.pageUrl(company.slug, 'home')).origin}/`);
      expect(outcome.sources.length).toBeGreaterThan(0);
      const served = new Set(web.requestLog.filter((e) => e.kind === 'page' && e.status === 200).map((e) => e.target));
      for (const source of outcome.sources) expect(served.has(source) || returned.has(source), source).toBe(true);
      expect(outcome.spend.searches).toBe(web.requestLog.filter((e) => e.kind === 'search' && e.credits > 0).length);
    }
  });

  it('catches the fabricated-citation fault', async () => {
    openai.configure({ faults: { fabricatedCitation: 1 } });
    const outcome = await plan.run({ Brand: 'Nike' }, io);
    expect(outcome).toMatchObject({ ok: false, error: { errorClass: 'output_invalid' }, droppedSources: 2 });
  });
});
