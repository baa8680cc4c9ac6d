// Per-job research settings: one zod fragment with documented defaults and exact messages, for job-config.ts to include.
import { z } from 'zod';
import { FIELD_LIMITS } from '../../kernel/limits.js';

export interface ResearchOptions {
  /** Run the web research tool loop for every row. Default false. */
  readonly enabled: boolean;
  /** `web_search` calls a row may make, 1–8. Default 3. */
  readonly maxSearches: number;
  /** `open_page` calls a row may make, 0–4. Default 2. */
  readonly maxPages: number;
}

export const DEFAULT_RESEARCH: ResearchOptions = { enabled: false, maxSearches: 3, maxPages: 2 };

function count(low: number, high: number, fallback: number) {
  const range = `must be between ${low} and ${high}`;
  return z.number({ message: 'must be a number' }).int('must be a whole number').min(low, range).max(high, range).default(fallback);
}

/** `research: { enabled, maxSearches, maxPages }`; absent means off. Messages read `research.maxSearches: must be between 1 and 8`. */
export const researchOptionsSchema = z
  .object({
    enabled: z.boolean({ message: 'must be true or false' }).default(DEFAULT_RESEARCH.enabled),
    maxSearches: count(FIELD_LIMITS.minSearches, FIELD_LIMITS.maxSearches, DEFAULT_RESEARCH.maxSearches),
    maxPages: count(FIELD_LIMITS.minPages, FIELD_LIMITS.maxPages, DEFAULT_RESEARCH.maxPages),
  })
  .strict()
  // A full object, not `{}`: zod 4 returns a default as given without parsing it.
  .default({ ...DEFAULT_RESEARCH });

/** Spread into job-config.ts's z.object({...}) with one line: `...researchConfigField`. */
export const researchConfigField = { research: researchOptionsSchema } as const;

/** Model turns a row may take: one per allowed tool call, plus the turn that must answer. */
export function maxModelTurns(options: ResearchOptions): number {
  return options.maxSearches + options.maxPages + 1;
}
