// The research reservation: no path of the loop costs more than the worst case, over many random paths.
import { describe, expect, it } from 'vitest';
import { PageNotFoundError } from '../../../../backend/src/kernel/errors.js';
import { DEFAULT_SEARCH_PRICE, researchSpendUsd, worstCaseResearchCost } from '../../../../backend/src/engine/research/research-cost.js';
import type { ResearchTurn } from '../../../../backend/src/engine/research/research-loop.js';
import type { CompletionResult, ToolCall } from '../../../../backend/src/ports/model.js';
import type { SearchHit } from '../../../../backend/src/ports/search.js';
import { PRICE, answerJson, ioWith, planFor, reply } from './fakes.js';

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['acme', 'coffee', 'founded', '1987', 'Bremen', 'roaster', 'https://x.example/a', '{"k":1}', 'ünïcødé', '😀', 'the', 'of'];

function text(random: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]).join(random() < 0.5 ? ' ' : '');
}

describe('worst-case research cost', () => {
  it('covers every searched, read, repaired path the loop can take (random paths)', async () => {
    const random = prng(42);
    for (let path = 0; path < 80; path++) {
      const maxSearches = 1 + Math.floor(random() * 8);
      const maxPages = Math.floor(random() * 5);
      const maxOutputTokens = 48 + Math.floor(random() * 400);
      const plan = planFor({ maxSearches, maxPages }, maxOutputTokens);
      const inputs = { Brand: text(random, 1 + Math.floor(random() * 30)) };
      const known: string[] = [];
      let seq = 0;
      const call = (name: string, args: Record<string, unknown>): ToolCall => ({ id: `call_${path}_${seq++}`, name, arguments: JSON.stringify(args) });

      const model = (turn: ResearchTurn): CompletionResult => {
        // Output: up to the cap as the provider reports it, with text no longer than that.
        const outputTokens = 1 + Math.floor(random() * maxOutputTokens);
        const roll = random();
        if (turn.toolChoice === 'auto' && roll < 0.75) {
          const calls = Array.from({ length: Math.floor(random() * 6) }, () => {
            const r = random();
            if (r < 0.5) return call('web_search', { query: text(random, 3) });
            if (r < 0.9) return call('open_page', { url: known[Math.floor(random() * known.length)] ?? 'https://x.example/a' });
            return call('nonsense', { a: text(random, 2) });
          });
          return { ...reply(turn, { toolCalls: calls, content: random() < 0.3 ? text(random, 5) : '' }), usage: { ...reply(turn, {}).usage, outputTokens } };
        }
        const sources = random() < 0.7 ? known.slice(0, 2) : ['https://fabricated.example/x'];
        const content = random() < 0.2 ? '{"broken' : answerJson({ founded: 1987, sources });
        return { ...reply(turn, { content }), usage: { ...reply(turn, {}).usage, outputTokens } };
      };
      const io = ioWith(model, {
        search: (request) => {
          const hits: SearchHit[] = Array.from({ length: Math.floor(random() * 8) }, (_, i) => ({
            url: `https://site${i}.example/${encodeURIComponent(request.query).slice(0, 40)}`,
            title: text(random, 10),
            content: text(random, Math.floor(random() * 600)),
          }));
          known.push(...hits.map((h) => h.url));
          return Promise.resolve({ results: hits, usage: { searches: random() < 0.8 ? 1 : 0, credits: 1 } });
        },
        openPage: (request) => {
          if (random() < 0.3) return Promise.reject(new PageNotFoundError('404'));
          const body = text(random, Math.floor(random() * 3000));
          return Promise.resolve({ url: request.url, title: text(random, 20), text: body, truncated: false, contentType: 'text/html', bytes: body.length });
        },
      });

      const outcome = await plan.run(inputs, io);
      const worst = plan.worstCaseCost(plan.promptTokens(inputs));
      const actual = plan.spendUsd(outcome.spend);
      expect(actual, `path ${path}: ${JSON.stringify(outcome.spend)}`).toBeLessThanOrEqual(worst);
      // The fake bills honestly, so each turn's prompt is what the provider would count.
      expect(outcome.spend.modelTurns).toBeLessThanOrEqual(maxSearches + maxPages + 2);
      expect(outcome.spend.searchCalls).toBeLessThanOrEqual(maxSearches);
      expect(outcome.spend.pageCalls).toBeLessThanOrEqual(maxPages);
    }
  });

  it('adds every allowed search at the search price, and only searches without a model price', () => {
    expect(worstCaseResearchCost(500, 200, { enabled: true, maxSearches: 3, maxPages: 2 }, undefined, DEFAULT_SEARCH_PRICE)).toBeCloseTo(0.024, 10);
    const withModel = worstCaseResearchCost(500, 200, { enabled: true, maxSearches: 3, maxPages: 2 }, PRICE, DEFAULT_SEARCH_PRICE);
    const moreSearches = worstCaseResearchCost(500, 200, { enabled: true, maxSearches: 4, maxPages: 2 }, PRICE, DEFAULT_SEARCH_PRICE);
    expect(withModel).toBeGreaterThan(0.024);
    expect(moreSearches).toBeGreaterThan(withModel + DEFAULT_SEARCH_PRICE.searchUsd);
  });

  it('spends reported usage plus billed searches', () => {
    const spend = { usage: { inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 0 }, searches: 2, searchCalls: 3, pageCalls: 1, modelTurns: 3 };
    expect(researchSpendUsd(spend, PRICE, { searchUsd: 0.01 })).toBeCloseTo(0.4 + 0.02, 10);
  });
});
