// Function calling through OpenAiModelClient against the stand-in: tools out, tool calls back, tool results in, then the answer.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiModelClient } from '../../../../backend/src/adapters/openai/openai-model-client.js';
import { InvalidRequestError } from '../../../../backend/src/kernel/errors.js';
import { buildOutputSchema } from '../../../../backend/src/engine/output-schema.js';
import { systemPrompt } from '../../../../backend/src/engine/prompt.js';
import { buildResearchPlan } from '../../../../backend/src/engine/research/research-plan.js';
import type { ResearchIo } from '../../../../backend/src/engine/research/research-loop.js';
import type { CompletionRequest } from '../../../../backend/src/ports/model.js';
import type { SearchRequest } from '../../../../backend/src/ports/search.js';
import type { PageRequest } from '../../../../backend/src/ports/pages.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../../../local/openai/server.js';

const OUTPUTS = [
  { name: 'Year founded', instruction: 'Year the brand was founded', type: 'number' as const },
  { name: 'Website', instruction: 'Official website', type: 'url' as const },
];
const OWN = 'http://acme-coffee.rowfill.test/about';
const DIRECTORY = 'http://directory.rowfill.test/acme-coffee';

const schema = buildOutputSchema(OUTPUTS);
const plan = buildResearchPlan({ schema, system: systemPrompt(schema.fields), maxOutputTokens: 300, price: { input: 0.4, cachedInput: 0.1, output: 1.6 }, options: { enabled: true, maxSearches: 3, maxPages: 2 } });

let standIn: OpenAiStandIn;
let client: OpenAiModelClient;
beforeAll(async () => {
  standIn = await startOpenAiStandIn();
  client = new OpenAiModelClient({ apiKey: 'sk-test', baseURL: standIn.url, simulated: true });
});
afterAll(() => standIn.close());
beforeEach(() => {
  standIn.resetLog();
  standIn.configure({ faults: { fabricatedCitation: 0 } });
});

function io(): ResearchIo & { searched: string[]; opened: string[] } {
  const searched: string[] = [];
  const opened: string[] = [];
  return {
    searched,
    opened,
    signal: new AbortController().signal,
    callModel: (turn) => client.complete({ ...turn, model: 'gpt-4.1-mini', maxOutputTokens: 300, signal: new AbortController().signal }),
    search: (request: SearchRequest) => {
      searched.push(request.query);
      return Promise.resolve({
        results: [
          { url: DIRECTORY, title: 'Acme Coffee – profile', content: 'Acme Coffee, Bremen.' },
          { url: OWN, title: 'About Acme Coffee', content: 'Roasters.' },
        ],
        usage: { searches: 1, credits: 1 },
      });
    },
    openPage: (request: PageRequest) => {
      opened.push(request.url);
      const text = request.url === OWN ? 'Acme Coffee was founded in 1987 in Bremen.' : 'Companies in Bremen.';
      return Promise.resolve({ url: request.url, title: 'Page', text, truncated: false, contentType: 'text/html', bytes: text.length });
    },
  };
}

describe('OpenAiModelClient with tools', () => {
  it('returns the model’s tool calls with empty content', async () => {
    const result = await client.complete({
      model: 'gpt-4.1-mini',
      messages: plan.messages({ Brand: 'Acme Coffee' }),
      tools: plan.tools,
      schemaName: 'row_outputs_with_sources',
      schema: plan.schema.jsonSchema,
      maxOutputTokens: 300,
      signal: new AbortController().signal,
    });
    expect(result.content).toBe('');
    expect(result.toolCalls).toEqual([{ id: expect.stringMatching(/^call_/) as unknown, name: 'web_search', arguments: '{"query":"Acme Coffee official site"}' }]);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it('runs a whole research row: searches, pages, and an answer whose sources the tool calls returned', async () => {
    const row = io();
    const outcome = await plan.run({ Brand: 'Acme Coffee' }, row);
    expect(outcome).toMatchObject({ ok: true, outputs: { 'Year founded': 1987, Website: 'http://acme-coffee.rowfill.test/' }, sources: [OWN, DIRECTORY], droppedSources: 0 });
    expect(row.searched).toEqual(['Acme Coffee official site', 'Acme Coffee founded year']);
    expect(row.opened).toEqual([OWN, DIRECTORY]);
    // Every turn the stand-in billed is in the spend, and nothing was refused on the way.
    expect(outcome.spend.modelTurns).toBe(standIn.requestLog.length);
    expect(standIn.requestLog.every((e) => e.status === 200)).toBe(true);
    expect(outcome.spend.usage.inputTokens).toBe(standIn.requestLog.reduce((s, e) => s + e.promptTokens, 0));
    expect(plan.spendUsd(outcome.spend)).toBeLessThanOrEqual(plan.worstCaseCost(plan.promptTokens({ Brand: 'Acme Coffee' })));
  });

  it('catches a fabricated citation: repaired once, then output_invalid when the model keeps inventing', async () => {
    standIn.configure({ faults: { fabricatedCitation: 1 } });
    const outcome = await plan.run({ Brand: 'Acme Coffee' }, io());
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.errorClass).toBe('output_invalid');
    expect(outcome.droppedSources).toBe(2);
    expect(standIn.requestLog.filter((e) => e.fault === 'fabricatedCitation')).toHaveLength(2);
  });

  it('sends no tools outside research mode, and a tool message without its call is refused as invalid_request', async () => {
    const base: CompletionRequest = {
      model: 'gpt-4.1-mini',
      messages: [
        { role: 'system', content: 'Fill in the row.' },
        { role: 'user', content: '<row>\n{"Brand":"Acme"}\n</row>' },
      ],
      schemaName: 'row_outputs',
      schema: schema.jsonSchema,
      maxOutputTokens: 300,
      signal: new AbortController().signal,
    };
    const plain = await client.complete(base);
    expect(plain.toolCalls).toBeUndefined();
    expect(JSON.parse(plain.content)).toHaveProperty('website');
    const orphan = await client.complete({ ...base, tools: plan.tools, messages: [...base.messages, { role: 'tool', toolCallId: 'call_x', content: '{}' }] }).catch((e: unknown) => e);
    expect(orphan).toBeInstanceOf(InvalidRequestError);
  });
});
