// The one validated configuration, read once at startup from the environment (and CLI flags layered on top).
import { z } from 'zod';

const priceSchema = z.object({ input: z.number().nonnegative(), cachedInput: z.number().nonnegative(), output: z.number().nonnegative() });

const envSchema = z.object({
  OPENAI_API_KEY: z.string().trim().min(1).optional(),
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/, error: 'OPENAI_BASE_URL must be an http(s) URL' }).optional(),
  ROWFILL_DB: z.string().trim().min(1).default('.rowfill/rowfill.db'),
  ROWFILL_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('warn'),
  /** JSON object of model → { input, cachedInput, output } USD per 1M tokens, merged over the built-in table. */
  ROWFILL_PRICES: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text) return undefined;
      try {
        return z.record(z.string(), priceSchema).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'ROWFILL_PRICES must be JSON like {"my-model":{"input":1,"cachedInput":0.5,"output":4}}' });
        return z.NEVER;
      }
    }),
});

export interface RowfillConfig {
  readonly openaiApiKey: string | undefined;
  readonly openaiBaseUrl: string | undefined;
  readonly dbPath: string;
  readonly logLevel: z.infer<typeof envSchema>['ROWFILL_LOG_LEVEL'];
  readonly prices: Readonly<Record<string, z.infer<typeof priceSchema>>> | undefined;
}

export class ConfigLoadError extends Error {
  override readonly name = 'ConfigLoadError';
}

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): RowfillConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) throw new ConfigLoadError(result.error.issues.map((i) => i.message).join('\n'));
  const e = result.data;
  return { openaiApiKey: e.OPENAI_API_KEY, openaiBaseUrl: e.OPENAI_BASE_URL, dbPath: e.ROWFILL_DB, logLevel: e.ROWFILL_LOG_LEVEL, prices: e.ROWFILL_PRICES };
}
