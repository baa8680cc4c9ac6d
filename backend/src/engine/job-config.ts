// Validation of a job's configuration: one zod schema, documented defaults, exact messages, server-side caps.
import { z } from 'zod';
import type { JobConfig } from '../ports/domain.js';
import { DEFAULT_LIMITS, FIELD_LIMITS, type ConfigLimits } from '../kernel/limits.js';
import { DEFAULT_MODEL, MAX_PRICE_PER_MTOK } from '../kernel/models.js';
import { hashValue } from './hashing.js';
import { researchConfigField } from './research/research-options.js';

/** `workers: 'auto'`: as many rows in flight as the provider's limits allow, up to the server's `maxInFlight`. */
export const AUTO_WORKERS = 'auto';

const name = z.string().trim().min(1, 'must not be empty').max(FIELD_LIMITS.maxNameChars, `must be at most ${FIELD_LIMITS.maxNameChars} characters`);

function perMillion(what: string) {
  return z
    .number({ error: (issue) => (issue.input === undefined ? `enter the price per 1M ${what} tokens` : 'must be a number') })
    .positive('must be greater than 0')
    .max(MAX_PRICE_PER_MTOK, `must be at most ${MAX_PRICE_PER_MTOK} (USD per 1M tokens)`);
}

/** A job's own price, USD per 1M tokens, for a model the price table lacks (or to override it). */
const priceSchema = z
  .object({ input: perMillion('input'), output: perMillion('output'), cachedInput: perMillion('cached input').optional() })
  .strict()
  .transform((p) => ({ input: p.input, output: p.output, cachedInput: p.cachedInput ?? p.input }));

function configSchema(limits: ConfigLimits) {
  const output = z
    .object({
      name,
      instruction: z.string().trim().min(1, 'must not be empty').max(limits.maxInstructionChars, `must be at most ${limits.maxInstructionChars} characters`),
      type: z.enum(['text', 'number', 'boolean', 'url', 'enum']).default('text'),
      options: z.array(z.string().trim().min(1)).max(FIELD_LIMITS.maxOptions).optional(),
    })
    .refine((o) => o.type !== 'enum' || (o.options !== undefined && o.options.length >= 2), {
      message: 'an enum output needs at least 2 options',
      path: ['options'],
    });
  return z
    .object({
      inputs: z.array(name).min(1, 'choose at least one input column').max(limits.maxInputs),
      outputs: z.array(output).min(1, 'add at least one output column').max(limits.maxOutputs, `at most ${limits.maxOutputs} output columns`),
      model: z.string().trim().min(1).max(100).default(DEFAULT_MODEL),
      // A number keeps exactly that many rows in flight; "auto" as many as the rate limits can serve (engine/in-flight.ts).
      workers: z
        .union(
          [
            z.literal(AUTO_WORKERS),
            z
              .number()
              .int()
              .min(1, `must be between 1 and ${limits.maxWorkers}, or "${AUTO_WORKERS}"`)
              .max(limits.maxWorkers, `must be between 1 and ${limits.maxWorkers}, or "${AUTO_WORKERS}"`),
          ],
          { error: `must be a whole number from 1 to ${limits.maxWorkers}, or "${AUTO_WORKERS}"` },
        )
        .default(8),
      budgetUsd: z
        .number()
        .positive('must be greater than 0')
        .max(limits.maxBudgetUsd, `must be at most ${limits.maxBudgetUsd}`)
        .nullable(),
      maxAttempts: z.number().int().min(1).max(20).default(5),
      maxOutputTokens: z.number().int().min(16).max(limits.maxOutputTokens).optional(),
      attemptTimeoutMs: z.number().int().min(100).max(600_000).default(60_000),
      attemptTimeoutCapMs: z.number().int().min(100).max(1_800_000).default(180_000),
      rpm: z.number().positive().optional(),
      tpm: z.number().positive().optional(),
      force: z.boolean().default(false),
      ...researchConfigField,
      price: priceSchema.optional(),
      mode: z.enum(['fast', 'cheap'], { error: 'must be "fast" or "cheap"' }).default('fast'),
      lateRows: z.enum(['batch', 'fast'], { error: 'must be "batch" or "fast"' }).default('batch'),
    })
    .superRefine((c, ctx) => {
      // A research row is a multi-turn tool loop; a batch request is one turn.
      if (c.mode === 'cheap' && c.research.enabled) ctx.addIssue({ code: 'custom', message: 'research mode runs in fast mode only; choose "fast" or turn research off', path: ['mode'] });
      // Only a batch can run late: a fast job asking for it is a mistake worth saying.
      if (c.mode !== 'cheap' && c.lateRows === 'fast') ctx.addIssue({ code: 'custom', message: 'finishing late rows fast needs cheap mode; choose mode "cheap" or leave lateRows out', path: ['lateRows'] });
      const seen = new Set<string>();
      for (const o of c.outputs) {
        const key = o.name.toLowerCase();
        if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `output column "${o.name}" is named twice`, path: ['outputs'] });
        seen.add(key);
        if (c.inputs.some((i) => i.toLowerCase() === key)) {
          ctx.addIssue({ code: 'custom', message: `"${o.name}" is both an input and an output column`, path: ['outputs'] });
        }
      }
    });
}

export type JobConfigInput = z.input<ReturnType<typeof configSchema>>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The refusal of a budget for a model with no price: on the model field, saying what a sidebar user can do about it. */
export class UnknownPriceError extends ConfigError {
  constructor(readonly model: string) {
    super(`model: no price is known for "${model}"; pick a listed model or enter its price per 1M tokens`);
    this.name = 'UnknownPriceError';
  }
}

export function unknownPriceError(model: string): UnknownPriceError {
  return new UnknownPriceError(model);
}

/** Validate and fill defaults; throws ConfigError with one line per problem (`workers: must be between 1 and 50, or "auto"`). */
export function parseJobConfig(input: unknown, limits: ConfigLimits = DEFAULT_LIMITS): JobConfig {
  const result = configSchema(limits).safeParse(input);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('\n'));
  }
  const { price, research, mode, lateRows, ...c } = result.data;
  return {
    ...c,
    // Only a cheap job carries the mode, so fast configs stay as they were stored.
    ...(mode === 'cheap' ? { mode } : {}),
    // Likewise the late-rows choice only when it is not the default, so existing cheap configs keep their hashes.
    ...(lateRows === 'fast' ? { lateRows } : {}),
    ...(price ? { price } : {}),
    // Only a job that researches carries the setting, so plain configs stay as they were.
    ...(research.enabled ? { research } : {}),
    maxOutputTokens: c.maxOutputTokens ?? defaultMaxOutputTokens(c.outputs),
    attemptTimeoutCapMs: Math.max(c.attemptTimeoutCapMs, c.attemptTimeoutMs),
    outputs: c.outputs.map((o) => (o.type === 'enum' ? { ...o, options: o.options ?? [] } : { name: o.name, instruction: o.instruction, type: o.type })),
  };
}

/** Room for a generous answer per column type: it caps each call and sizes the budget reservation. */
const TOKENS_PER_TYPE: Record<string, number> = { text: 300, url: 80, enum: 40, number: 24, boolean: 16 };

export function defaultMaxOutputTokens(outputs: ReadonlyArray<{ readonly type: string }>): number {
  return Math.min(4096, 32 + outputs.reduce((sum, o) => sum + (TOKENS_PER_TYPE[o.type] ?? 300), 0));
}

/** What makes results comparable across jobs: a row is unchanged only if this and its inputs are. */
export function configHash(config: JobConfig): string {
  // Research joins the hash only when on, so plain jobs keep the hashes their rows were remembered under.
  const research = config.research?.enabled ? { research: config.research } : {};
  return hashValue({ inputs: config.inputs, outputs: config.outputs, model: config.model, ...research });
}
