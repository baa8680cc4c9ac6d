// The per-job research plan: its prompt, tools, schema and the sizes a row runner needs.
import { describe, expect, it } from 'vitest';
import { SOURCES_COLUMN, withSources } from '../../../../backend/src/engine/research/research-plan.js';
import { researchLeaseMs, researchRow } from '../../../../backend/src/engine/research/research-row.js';
import { countTokens } from '../../../../backend/src/engine/tokens.js';
import { answerJson, ioWith, planFor, reply, searchIndex, toolCall } from './fakes.js';

describe('research plan', () => {
  it('offers open_page only when pages may be read, and counts the tools in the first prompt', () => {
    const withPages = planFor({ maxPages: 2 });
    const noPages = planFor({ maxPages: 0 });
    expect(withPages.tools.map((t) => t.name)).toEqual(['web_search', 'open_page']);
    expect(noPages.tools.map((t) => t.name)).toEqual(['web_search']);
    const inputs = { Brand: 'Acme' };
    const messageTokens = withPages.messages(inputs).reduce((sum, m) => sum + countTokens(m.content), 0);
    expect(withPages.promptTokens(inputs)).toBeGreaterThan(messageTokens);
  });

  it('asks for _sources next to every output column, each of which may be null', () => {
    const plan = planFor();
    const properties = plan.schema.jsonSchema.properties as Record<string, { type: unknown }>;
    expect(Object.keys(properties)).toEqual(['founded', 'website', '_sources']);
    expect(properties.founded!.type).toContain('null');
    expect(plan.schema.jsonSchema.required).toEqual(['founded', 'website', '_sources']);
  });

  it('tells the runner how many calls an attempt may make, and keys research answers apart by their limits', () => {
    const plan = planFor({ maxSearches: 3, maxPages: 2 });
    expect(plan.maxModelCalls).toBe(3 + 2 + 1 + 1);
    expect(plan.maxToolCalls).toBe(5);
    expect(JSON.stringify(planFor({ maxSearches: 4 }).cacheIdentity)).not.toBe(JSON.stringify(plan.cacheIdentity));
  });

  it('reserves more when a provider was seen to exceed the output cap', () => {
    const plan = planFor({}, 400);
    expect(plan.worstCaseCost(500, 800)).toBeGreaterThan(plan.worstCaseCost(500));
    expect(plan.worstCaseCost(500, 400)).toBe(plan.worstCaseCost(500));
  });

  it('writes sources one per line in rowfill_sources', () => {
    expect(withSources({ Founded: 1987 }, ['https://a.example/', 'https://b.example/x'])).toEqual({ Founded: 1987, [SOURCES_COLUMN]: 'https://a.example/\nhttps://b.example/x' });
  });
});

describe('researchRow', () => {
  it('records outputs with their sources column and a spend of usage plus billed searches', async () => {
    const plan = planFor();
    const io = ioWith(
      (turn, i) =>
        i === 0
          ? reply(turn, { toolCalls: [toolCall('web_search', { query: 'Acme' })] })
          : reply(turn, { content: answerJson({ founded: 1987, sources: ['https://acme.example/'] }) }),
      { search: searchIndex(() => [{ url: 'https://acme.example/', title: 'Acme', content: 'Founded 1987.' }]) },
    );
    const result = await researchRow(plan, { Brand: 'Acme' }, io);
    expect(result).toMatchObject({ ok: true, outputs: { Founded: 1987, Website: null, [SOURCES_COLUMN]: 'https://acme.example/' }, searches: 1, droppedSources: 0 });
    expect(result.costUsd).toBeCloseTo((result.usage.inputTokens * 0.4 + result.usage.outputTokens * 1.6) / 1e6 + 0.008, 12);
  });

  it('sizes the lease for every model call and tool call', () => {
    expect(researchLeaseMs(planFor({ maxSearches: 3, maxPages: 2 }), 10_000, 5_000, 1_000)).toBe(7 * 10_000 + 5 * 5_000 + 1_000);
  });
});
