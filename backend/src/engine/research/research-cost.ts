// What a research row may cost at worst (every search, every turn at full length, the repair) and what it did cost.
import type { Usage } from '../../ports/domain.js';
import type { ToolDefinition } from '../../ports/model.js';
import type { ModelPrice } from '../../kernel/models.js';
import { costOf, REPAIR_PROMPT_TOKENS } from '../pricing.js';
import { countTokens } from '../tokens.js';
import { ASSISTANT_TURN_OVERHEAD, RESEARCH_CAPS, TOOL_CALL_OVERHEAD, TOOL_MESSAGE_OVERHEAD, type ResearchCaps } from './research-caps.js';
import { maxModelTurns, type ResearchOptions } from './research-options.js';

/** A search service's price: a new kind of price-table entry, per search rather than per token. */
export interface SearchPrice {
  readonly searchUsd: number;
}

/**
 * Tavily's list price for a basic search: 1 API credit, $0.008 a credit pay-as-you-go (docs.tavily.com, "Credits &
 * Pricing"; monthly plans go down to $0.005). An advanced search costs 2 credits. Override when the plan differs.
 */
export const DEFAULT_SEARCH_PRICE: SearchPrice = { searchUsd: 0.008 };

/** What a row's research attempt consumed: reported model usage and billed searches are its spend. */
export interface ResearchSpend {
  readonly usage: Usage;
  /** Searches the service billed (a cached search is not billed). */
  readonly searches: number;
  /** Search calls answered, billed or cached; counted against maxSearches. */
  readonly searchCalls: number;
  /** open_page calls made (opened or not); counted against maxPages. */
  readonly pageCalls: number;
  readonly modelTurns: number;
}

export function researchSpendUsd(spend: ResearchSpend, price: ModelPrice | undefined, searchPrice: SearchPrice): number {
  return (price ? costOf(spend.usage, price) : 0) + spend.searches * searchPrice.searchUsd;
}

/** The tokens the tool definitions add to every prompt: their JSON, plus framing per tool. */
export function toolsTokens(tools: readonly ToolDefinition[]): number {
  return tools.length === 0 ? 0 : countTokens(JSON.stringify(tools)) + 16 * tools.length;
}

/** The largest `k` tool results a conversation can hold: pages and searches up to their limits, then small results. */
function largestResults(k: number, options: ResearchOptions, caps: ResearchCaps): number {
  const sizes = [...Array<number>(options.maxPages).fill(caps.pageTokens), ...Array<number>(options.maxSearches).fill(caps.searchResultTokens)].sort((a, b) => b - a);
  let total = 0;
  for (let i = 0; i < k; i++) total += Math.max(sizes[i] ?? 0, caps.otherResultTokens) + TOOL_MESSAGE_OVERHEAD;
  return total;
}

/**
 * The most prompt tokens turn `t` (from 0) can send: the first prompt (tools included), every earlier assistant turn
 * at full output with its honored calls, and the largest tool results those calls can have brought back.
 */
export function worstTurnPromptTokens(t: number, firstPromptTokens: number, maxOutputTokens: number, options: ResearchOptions, caps: ResearchCaps = RESEARCH_CAPS): number {
  const perAssistant = maxOutputTokens + ASSISTANT_TURN_OVERHEAD + caps.maxCallsPerTurn * TOOL_CALL_OVERHEAD;
  return firstPromptTokens + t * perAssistant + largestResults(t * caps.maxCallsPerTurn, options, caps);
}

/**
 * The reservation of one research row: every allowed search billed, every model turn at its largest prompt and full
 * output, and the repair after the last turn (whose prompt also carries that turn's answer). No path costs more.
 */
export function worstCaseResearchCost(
  firstPromptTokens: number,
  maxOutputTokens: number,
  options: ResearchOptions,
  price: ModelPrice | undefined,
  searchPrice: SearchPrice,
  caps: ResearchCaps = RESEARCH_CAPS,
): number {
  const searches = options.maxSearches * searchPrice.searchUsd;
  if (!price) return searches;
  const turns = maxModelTurns(options);
  let total = searches;
  for (let t = 0; t < turns; t++) {
    total += costOf({ inputTokens: worstTurnPromptTokens(t, firstPromptTokens, maxOutputTokens, options, caps), cachedInputTokens: 0, outputTokens: maxOutputTokens }, price);
  }
  const lastPrompt = worstTurnPromptTokens(turns - 1, firstPromptTokens, maxOutputTokens, options, caps);
  total += costOf({ inputTokens: lastPrompt + maxOutputTokens + REPAIR_PROMPT_TOKENS, cachedInputTokens: 0, outputTokens: maxOutputTokens }, price);
  return total;
}

/** One research row's share of an estimate's range (USD): the searches and what their results and pages add to prompts. */
export interface ResearchRowCostRange {
  /** One search billed, its results read once. */
  readonly searchLowUsd: number;
  /** Every allowed search billed, each result read once. */
  readonly searchHighUsd: number;
  /** Every allowed page read once into a prompt (pages are not billed by a service, only as model input). */
  readonly pageHighUsd: number;
}

/**
 * What research adds to a typical row, for the estimate's low–high range (the reservation stays `worstCaseResearchCost`).
 * Without a model price only the searches are known.
 */
export function researchRowCostRange(options: ResearchOptions, price: ModelPrice | undefined, searchPrice: SearchPrice = DEFAULT_SEARCH_PRICE, caps: ResearchCaps = RESEARCH_CAPS): ResearchRowCostRange {
  const input = (tokens: number) => (price ? costOf({ inputTokens: tokens, cachedInputTokens: 0, outputTokens: 0 }, price) : 0);
  const perSearch = searchPrice.searchUsd + input(caps.searchResultTokens);
  return { searchLowUsd: perSearch, searchHighUsd: options.maxSearches * perSearch, pageHighUsd: options.maxPages * input(caps.pageTokens) };
}
