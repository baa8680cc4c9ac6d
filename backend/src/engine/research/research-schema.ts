// The research answer: the row's output columns (each may be null) plus `_sources`, the URLs the values rest on.
import type { Outputs } from '../../ports/domain.js';
import type { JsonSchema } from '../../ports/model.js';
import type { OutputSchema } from '../output-schema.js';

/** Column keys are slugs that never start with `_`, so this key cannot collide with an output column. */
export const SOURCES_KEY = '_sources';
export const RESEARCH_SCHEMA_NAME = 'row_outputs_with_sources';

export interface ResearchSchema {
  readonly jsonSchema: JsonSchema;
  parse(content: string): { ok: true; outputs: Outputs; cited: readonly string[] } | { ok: false; problem: string };
}

export function buildResearchSchema(base: OutputSchema): ResearchSchema {
  const properties = (base.jsonSchema.properties ?? {}) as Record<string, unknown>;
  const required = (base.jsonSchema.required ?? []) as string[];
  const jsonSchema: JsonSchema = {
    ...base.jsonSchema,
    properties: {
      ...properties,
      [SOURCES_KEY]: {
        type: 'array',
        items: { type: 'string' },
        description: 'The URLs (from the web_search results or opened pages) that support the values above, most important first.',
      },
    },
    required: [...required, SOURCES_KEY],
  };
  return {
    jsonSchema,
    parse(content) {
      let data: unknown;
      try {
        data = JSON.parse(content);
      } catch {
        return { ok: false, problem: 'the answer is not valid JSON' };
      }
      if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, problem: 'answer: must be a JSON object' };
      const { [SOURCES_KEY]: sources, ...rest } = data as Record<string, unknown>;
      if (!Array.isArray(sources) || !sources.every((s) => typeof s === 'string')) {
        return { ok: false, problem: `${SOURCES_KEY}: must be an array of URL strings` };
      }
      const parsed = base.parse(JSON.stringify(rest));
      return parsed.ok ? { ok: true, outputs: parsed.outputs, cited: sources } : parsed;
    },
  };
}
