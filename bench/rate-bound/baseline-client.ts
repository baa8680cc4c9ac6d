// One model call the way a user's own script makes it: the `openai` SDK with its retries off, the engine's exact prompt.
import OpenAI from 'openai';
import { toMessageParam } from '../../backend/src/adapters/openai/openai-tools.js';
import { buildJobPlan, type JobPlan } from '../../backend/src/engine/job-plan.js';
import { DEFAULT_PRICES } from '../../backend/src/kernel/models.js';
import { benchJobConfig } from '../lib/job-config.js';
import { WORKERS } from './settings.js';

export type CallOutcome =
  | { readonly kind: 'ok'; readonly answer: Record<string, unknown> }
  | { readonly kind: 'rate_limited'; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'error'; readonly message: string };

export class BaselineClient {
  private readonly client: OpenAI;
  // The same prompt and schema as Rowfill's, so every contender sends the same tokens and the comparison is fair.
  private readonly plan: JobPlan = buildJobPlan(benchJobConfig({ workers: WORKERS, budgetUsd: 100 }), DEFAULT_PRICES);

  constructor(baseURL: string) {
    this.client = new OpenAI({ apiKey: 'sk-bench', baseURL, maxRetries: 0, timeout: 60_000 });
  }

  async call(inputs: Readonly<Record<string, string>>): Promise<CallOutcome> {
    try {
      const completion = await this.client.chat.completions.create({
        model: this.plan.config.model,
        messages: this.plan.messages(inputs).map(toMessageParam),
        response_format: { type: 'json_schema', json_schema: { name: 'row_outputs', schema: this.plan.schema.jsonSchema, strict: true } },
        max_completion_tokens: this.plan.config.maxOutputTokens,
      });
      return { kind: 'ok', answer: JSON.parse(completion.choices[0]?.message.content ?? 'null') as Record<string, unknown> };
    } catch (error) {
      if (error instanceof OpenAI.APIError && error.status === 429) return { kind: 'rate_limited', retryAfterMs: retryAfterMs(error.headers as Headers | undefined) };
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** `retry-after-ms` when sent (OpenAI's precise header), else `retry-after` in seconds. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const s = Number(headers?.get('retry-after') ?? NaN);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
}
