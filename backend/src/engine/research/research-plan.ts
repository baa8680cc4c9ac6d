// What research mode implies for every row of a job, computed once: prompt, tools, schema, worst case and spend.
import type { ChatMessage, ToolDefinition } from '../../ports/model.js';
import type { OutputSchema } from '../output-schema.js';
import type { ModelPrice } from '../pricing.js';
import { rowMessage, rowMessages } from '../prompt.js';
import { countTokens } from '../tokens.js';
import { RESEARCH_CAPS, type ResearchCaps } from './research-caps.js';
import { DEFAULT_SEARCH_PRICE, researchSpendUsd, toolsTokens, worstCaseResearchCost, type ResearchSpend, type SearchPrice } from './research-cost.js';
import { runResearch, type ResearchIo, type ResearchOutcome } from './research-loop.js';
import type { ResearchOptions } from './research-options.js';
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
  worstCaseCost(promptTokens: number): number;
  spendUsd(spend: ResearchSpend): number;
  run(inputs: Readonly<Record<string, string>>, io: ResearchIo): Promise<ResearchOutcome>;
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
    worstCaseCost: (promptTokens) => worstCaseResearchCost(promptTokens, maxOutputTokens, options, price, searchPrice, caps),
    spendUsd: (spend) => researchSpendUsd(spend, price, searchPrice),
    run: (inputs, io) => runResearch({ messages: rowMessages(system, inputs), tools, schema, options, caps }, io),
  };
}
