// What research mode implies for every row of a job, computed once: prompt, tools, schema, worst case and spend.
import type { Outputs } from '../../ports/domain.js';
import type { ChatMessage, ToolDefinition } from '../../ports/model.js';
import type { OutputSchema } from '../output-schema.js';
import type { ModelPrice } from '../../kernel/models.js';
import { rowMessage, rowMessages } from '../prompt.js';
import { countTokens } from '../tokens.js';
import { RESEARCH_CAPS, type ResearchCaps } from './research-caps.js';
import { DEFAULT_SEARCH_PRICE, researchSpendUsd, toolsTokens, worstCaseResearchCost, type ResearchSpend, type SearchPrice } from './research-cost.js';
import { runResearch, type ResearchIo, type ResearchOutcome } from './research-loop.js';
import { maxModelTurns, type ResearchOptions } from './research-options.js';
import { researchSystemPrompt } from './research-prompt.js';
import { buildResearchSchema, type ResearchSchema } from './research-schema.js';
import { researchTools } from './tools.js';

export interface ResearchPlan {
  readonly options: ResearchOptions;
  readonly system: string;
  readonly tools: readonly ToolDefinition[];
  readonly schema: ResearchSchema;
  messages(inputs: Readonly<Record<string, string>>): ChatMessage[];
  /** The first turn's prompt, tool definitions included: what `worstCaseCost` grows from. */
  promptTokens(inputs: Readonly<Record<string, string>>): number;
  /** Same shape as JobPlan's: `outputTokensPerCall` defaults to the job's cap (a higher ceiling once a provider broke it). */
  worstCaseCost(promptTokens: number, outputTokensPerCall?: number): number;
  spendUsd(spend: ResearchSpend): number;
  run(inputs: Readonly<Record<string, string>>, io: ResearchIo): Promise<ResearchOutcome>;
  /** Model calls one attempt may make (every turn and the repair) and tool calls: what a row's lease must outlast. */
  readonly maxModelCalls: number;
  readonly maxToolCalls: number;
  /** Everything research adds to what a row computes: for the job's result-cache key, so research and plain answers never mix. */
  readonly cacheIdentity: Readonly<Record<string, unknown>>;
}

/** The column that carries a research row's sources, one URL per line. */
export const SOURCES_COLUMN = 'rowfill_sources';

/** A done row's outputs with its sources column added. */
export function withSources(outputs: Outputs, sources: readonly string[]): Outputs {
  return { ...outputs, [SOURCES_COLUMN]: sources.join('\n') };
}

export interface ResearchPlanInput {
  /** The job's output schema and base system prompt (JobPlan's `schema` and `system`). */
  readonly schema: OutputSchema;
  readonly system: string;
  readonly maxOutputTokens: number;
  readonly price: ModelPrice | undefined;
  readonly options: ResearchOptions;
  readonly searchPrice?: SearchPrice;
  readonly caps?: ResearchCaps;
}

export function buildResearchPlan(input: ResearchPlanInput): ResearchPlan {
  const { options, price, maxOutputTokens } = input;
  const caps = input.caps ?? RESEARCH_CAPS;
  const searchPrice = input.searchPrice ?? DEFAULT_SEARCH_PRICE;
  const system = researchSystemPrompt(input.system, options);
  const tools = researchTools(options.maxPages);
  const schema = buildResearchSchema(input.schema);
  const fixedTokens = countTokens(system) + 4 + 3 + toolsTokens(tools);
  return {
    options,
    system,
    tools,
    schema,
    messages: (inputs) => rowMessages(system, inputs),
    promptTokens: (inputs) => fixedTokens + 4 + countTokens(rowMessage(inputs)),
    worstCaseCost: (promptTokens, outputTokensPerCall = maxOutputTokens) => worstCaseResearchCost(promptTokens, outputTokensPerCall, options, price, searchPrice, caps),
    spendUsd: (spend) => researchSpendUsd(spend, price, searchPrice),
    run: (inputs, io) => runResearch({ messages: rowMessages(system, inputs), tools, schema, options, caps }, io),
    maxModelCalls: maxModelTurns(options) + 1,
    maxToolCalls: options.maxSearches + options.maxPages,
    cacheIdentity: { system, tools, schema: schema.jsonSchema, options, caps },
  };
}
