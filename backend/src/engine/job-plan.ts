// What a job's config implies for every row: schema, prompt, price, cache key — computed once per job, not per row.
import type { Job, JobConfig } from '../ports/domain.js';
import type { ChatMessage } from '../ports/model.js';
import { hashValue, sha256 } from './hashing.js';
import { buildOutputSchema, type OutputSchema } from './output-schema.js';
import { priceFor, type ModelPrice, type PriceTable } from '../kernel/models.js';
import { worstCaseRowCost } from './pricing.js';
import { rowMessage, rowMessages, systemPrompt } from './prompt.js';
import { buildResearchPlan, type ResearchPlan } from './research/research-plan.js';
import { countTokens, expectedOutputTokens } from './tokens.js';

export interface JobPlan {
  readonly config: JobConfig;
  readonly schema: OutputSchema;
  readonly system: string;
  /** The job's own price, else the table's; undefined for a model without one (allowed only when the job has no budget). */
  readonly price: ModelPrice | undefined;
  readonly expectedOutputTokens: number;
  messages(inputs: Readonly<Record<string, string>>): ChatMessage[];
  promptTokens(inputs: Readonly<Record<string, string>>): number;
  /** Identical (model, prompt, schema, inputs) share one key: the cross-job result cache. */
  cacheKey(inputHash: string): string;
  /** The most a row may cost; `outputTokensPerCall` defaults to the job's cap (more once a provider was seen to exceed it). */
  worstCaseCost(promptTokens: number, outputTokensPerCall?: number): number;
  /** Research mode's prompt, tools, schema, costs and loop; undefined when the job does not research. */
  readonly research: ResearchPlan | undefined;
}

export function inputHash(inputs: Readonly<Record<string, string>>): string {
  return hashValue(inputs);
}

export function buildJobPlan(config: JobConfig, prices: PriceTable): JobPlan {
  const schema = buildOutputSchema(config.outputs);
  const system = systemPrompt(schema.fields);
  const systemTokens = countTokens(system) + 4 + 3;
  const price = config.price ?? priceFor(config.model, prices);
  const research = config.research?.enabled ? buildResearchPlan({ schema, system, maxOutputTokens: config.maxOutputTokens, price, options: config.research }) : undefined;
  const prefix = hashValue({ model: config.model, system, schema: schema.jsonSchema, ...(research ? { research: research.cacheIdentity } : {}) });
  return {
    config,
    schema,
    system,
    price,
    expectedOutputTokens: expectedOutputTokens(config.outputs.length, config.maxOutputTokens),
    messages: (inputs) => rowMessages(system, inputs),
    promptTokens: research ? (inputs) => research.promptTokens(inputs) : (inputs) => systemTokens + 4 + countTokens(rowMessage(inputs)),
    cacheKey: (hash) => sha256(`${prefix}:${hash}`),
    worstCaseCost: research
      ? (promptTokens, outputTokensPerCall) => research.worstCaseCost(promptTokens, outputTokensPerCall)
      : (promptTokens, outputTokensPerCall = config.maxOutputTokens) => (price ? worstCaseRowCost(promptTokens, outputTokensPerCall, price) : 0),
    research,
  };
}

/** Plans are pure functions of immutable job config, so one cache per engine serves every task of a job. */
export class JobPlanCache {
  private readonly plans = new Map<string, JobPlan>();
  constructor(private readonly prices: PriceTable) {}

  get(job: Job): JobPlan {
    let plan = this.plans.get(job.id);
    if (!plan) {
      plan = buildJobPlan(job.config, this.prices);
      if (this.plans.size > 1000) this.plans.clear();
      this.plans.set(job.id, plan);
    }
    return plan;
  }
}
