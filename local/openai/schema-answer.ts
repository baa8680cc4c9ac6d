// Builds a plausible value for a JSON Schema from a row's inputs: same schema and inputs, same answer, every time.
import { stableHash } from './prng.js';
import { isRecord, rowKeyOf } from './row-inputs.js';

type Schema = Readonly<Record<string, unknown>>;

interface Context {
  /** Dotted path of the property, so nested fields with the same name still differ. */
  readonly name: string;
  readonly description: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly rowKey: string;
}

const ADJECTIVES = ['Leading', 'Established', 'Growing', 'Independent', 'Regional', 'Global', 'Specialist', 'Emerging', 'Trusted', 'Innovative'];
const URL_WORDS = /\burls?\b|website|web site|domain|homepage|home page|\blinks?\b|\bsite\b/i;
const EMAIL_WORDS = /e-?mail/i;
const YEAR_WORDS = /\byears?\b|founded|established|since/i;

/**
 * The answer a model would give for `schema` about a row with these inputs. Values depend only on the property's
 * name and description and on the input values, so a test can predict the exact output for any row.
 */
export function simulateAnswer(schema: Schema, inputs: Readonly<Record<string, unknown>>): unknown {
  return valueFor(schema, { name: '', description: '', inputs, rowKey: rowKeyOf(inputs) });
}

function valueFor(schema: Schema, ctx: Context): unknown {
  const context = typeof schema.description === 'string' && schema.description !== '' ? { ...ctx, description: schema.description } : ctx;
  const h = stableHash(`${context.name}\u0000${context.description}\u0000${context.rowKey}`);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    // A plausible answer names a value; null stays possible only when it is the sole option.
    const values = schema.enum.filter((v) => v !== null);
    const options = values.length > 0 ? values : schema.enum;
    return options[h % options.length] as unknown;
  }
  const branches: readonly unknown[] | null = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
  if (branches) {
    const branch = branches.find((b) => isRecord(b) && b.type !== 'null') ?? branches[0];
    return isRecord(branch) ? valueFor(branch, context) : null;
  }
  switch (typeOf(schema)) {
    case 'object':
      return objectFor(schema, context);
    case 'array':
      return arrayFor(schema, context, h);
    case 'number':
    case 'integer':
      if (YEAR_WORDS.test(`${context.name} ${context.description}`)) return 1850 + (h % 166);
      return typeOf(schema) === 'integer' ? integerFor(schema, h) : numberFor(schema, h);
    case 'boolean':
      return ((h >>> 7) & 1) === 1;
    case 'null':
      return null;
    default:
      return stringFor(schema, context, h);
  }
}

/** The schema's type; for a union like ["string","null"] the non-null one, since a plausible answer has a value. */
function typeOf(schema: Schema): string {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const concrete: unknown = (type as unknown[]).find((t) => t !== 'null');
    return typeof concrete === 'string' ? concrete : 'null';
  }
  return isRecord(schema.properties) ? 'object' : 'string';
}

function objectFor(schema: Schema, ctx: Context): Record<string, unknown> {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const result: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(properties)) {
    const name = ctx.name === '' ? key : `${ctx.name}.${key}`;
    result[key] = valueFor(isRecord(sub) ? sub : {}, { ...ctx, name, description: '' });
  }
  return result;
}

function arrayFor(schema: Schema, ctx: Context, h: number): unknown[] {
  const min = nonNegativeInt(schema.minItems) ?? 1;
  const max = Math.max(min, nonNegativeInt(schema.maxItems) ?? 3);
  const count = min + (h % (max - min + 1));
  const items = isRecord(schema.items) ? schema.items : { type: 'string' };
  return Array.from({ length: count }, (_, i) => valueFor(items, { ...ctx, name: `${ctx.name}[${i}]` }));
}

function numberFor(schema: Schema, h: number): number {
  const [low, high] = bounds(schema, 0, 1000);
  const value = low + ((h % 100_001) / 100_000) * (high - low);
  return Math.min(high, Math.max(low, Math.round(value * 100) / 100));
}

function integerFor(schema: Schema, h: number): number {
  const [low, high] = bounds(schema, 0, 1000);
  const lo = Math.ceil(low);
  const hi = Math.max(lo, Math.floor(high));
  return lo + (h % (hi - lo + 1));
}

function bounds(schema: Schema, fallbackLow: number, span: number): [number, number] {
  // Exclusive bounds are nudged inwards by one so the value stays valid for numbers and integers alike.
  const exclusiveLow = finite(schema.exclusiveMinimum);
  const exclusiveHigh = finite(schema.exclusiveMaximum);
  const low = finite(schema.minimum) ?? (exclusiveLow === undefined ? fallbackLow : exclusiveLow + 1);
  const high = finite(schema.maximum) ?? (exclusiveHigh === undefined ? low + span : exclusiveHigh - 1);
  return high >= low ? [low, high] : [low, low];
}

function stringFor(schema: Schema, ctx: Context, h: number): string {
  const about = `${humanize(ctx.name)} ${ctx.description}`;
  const slug = slugOf(firstInput(ctx.inputs));
  let text: string;
  if (schema.format === 'email' || EMAIL_WORDS.test(about)) text = `info@${slug}.com`;
  else if (schema.format === 'uri' || URL_WORDS.test(about)) text = `https://www.${slug}.com`;
  else {
    const subject = firstInput(ctx.inputs).trim().slice(0, 40) || 'this row';
    text = `${ADJECTIVES[h % ADJECTIVES.length] ?? 'Notable'} ${humanize(ctx.name)} for ${subject}`;
  }
  const maxLength = nonNegativeInt(schema.maxLength);
  return maxLength === undefined ? text : text.slice(0, maxLength);
}

function firstInput(inputs: Readonly<Record<string, unknown>>): string {
  for (const value of Object.values(inputs)) {
    const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);
    if (text.trim() !== '') return text;
  }
  return '';
}

/** Lowercase ASCII with dashes: "Café Münster GmbH" → "cafe-munster-gmbh"; a bare URL loses its scheme and www. */
export function slugOf(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/^\s*https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug === '' ? 'example' : slug;
}

function humanize(name: string): string {
  const last = name.split('.').pop() ?? name;
  const words = last
    .replace(/\[\d+\]/g, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_\-\s]+/g, ' ')
    .trim()
    .toLowerCase();
  return words === '' ? 'answer' : words;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function nonNegativeInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}
