// Output columns → the strict JSON Schema sent to the model and the zod validator its answers must pass.
import { z } from 'zod';
import type { OutputSpec, Outputs, OutputValue } from '../ports/domain.js';
import type { JsonSchema } from '../ports/model.js';

export interface OutputField {
  /** The JSON property name the model fills (a slug of the column name, unique). */
  readonly key: string;
  readonly spec: OutputSpec;
}

export interface OutputSchema {
  readonly fields: readonly OutputField[];
  readonly jsonSchema: JsonSchema;
  /** Parse the model's text; returns the outputs keyed by column name, or the reasons it is invalid. */
  parse(content: string): { ok: true; outputs: Outputs } | { ok: false; problem: string };
}

function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[^\w]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase()
    .slice(0, 48);
  return s === '' ? 'field' : /^\d/.test(s) ? `f_${s}` : s;
}

function fieldKeys(specs: readonly OutputSpec[]): OutputField[] {
  const used = new Set<string>();
  return specs.map((spec) => {
    const base = slug(spec.name);
    let key = base;
    for (let i = 2; used.has(key); i++) key = `${base}_${i}`;
    used.add(key);
    return { key, spec };
  });
}

const HTTP_URL = /^https?:\/\/[^\s/$.?#][^\s]*$/i;

function propertySchema(spec: OutputSpec): Record<string, unknown> {
  const description = spec.instruction;
  switch (spec.type) {
    case 'text':
      return { type: ['string', 'null'], description };
    case 'number':
      return { type: ['number', 'null'], description };
    case 'boolean':
      return { type: ['boolean', 'null'], description };
    case 'url':
      return { type: ['string', 'null'], description: `${description} (an absolute http(s) URL)` };
    case 'enum':
      return { type: ['string', 'null'], enum: [...(spec.options ?? []), null], description };
  }
}

function valueSchema(spec: OutputSpec): z.ZodType<OutputValue> {
  switch (spec.type) {
    case 'text':
      return z.string().nullable();
    case 'number':
      return z.number().finite().nullable();
    case 'boolean':
      return z.boolean().nullable();
    case 'url':
      return z
        .string()
        .nullable()
        .transform((v) => (v === null || v.trim() === '' ? null : v.trim()))
        .refine((v) => v === null || HTTP_URL.test(v), { message: 'must be an absolute http(s) URL' });
    case 'enum': {
      const options = spec.options ?? [];
      const byLower = new Map(options.map((o) => [o.toLowerCase(), o]));
      return z
        .string()
        .nullable()
        .transform((v) => (v === null ? null : (byLower.get(v.trim().toLowerCase()) ?? v)))
        .refine((v) => v === null || options.includes(v), { message: `must be one of ${options.join(', ')}` });
    }
  }
}

export function buildOutputSchema(specs: readonly OutputSpec[]): OutputSchema {
  const fields = fieldKeys(specs);
  const jsonSchema: JsonSchema = {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.key, propertySchema(f.spec)])),
    required: fields.map((f) => f.key),
    additionalProperties: false,
  };
  const validator = z.object(Object.fromEntries(fields.map((f) => [f.key, valueSchema(f.spec)])));

  return {
    fields,
    jsonSchema,
    parse(content) {
      let data: unknown;
      try {
        data = JSON.parse(content);
      } catch {
        return { ok: false, problem: 'the answer is not valid JSON' };
      }
      const result = validator.safeParse(data);
      if (!result.success) {
        const problem = result.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`)
          .join('; ');
        return { ok: false, problem };
      }
      const parsed = result.data as Record<string, OutputValue>;
      return { ok: true, outputs: Object.fromEntries(fields.map((f) => [f.spec.name, parsed[f.key] ?? null])) };
    },
  };
}
