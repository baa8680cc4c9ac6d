import { describe, expect, it } from 'vitest';
import { buildOutputSchema } from '../../../backend/src/engine/output-schema.js';

const schema = buildOutputSchema([
  { name: 'Category', instruction: 'Main category', type: 'text' },
  { name: 'Founded year', instruction: 'Year founded', type: 'number' },
  { name: 'Public?', instruction: 'Listed on a stock exchange', type: 'boolean' },
  { name: 'Homepage', instruction: 'Official site', type: 'url' },
  { name: 'Tier', instruction: 'Price tier', type: 'enum', options: ['Budget', 'Mid', 'Premium'] },
]);

describe('buildOutputSchema', () => {
  it('produces a strict JSON schema: every field required, nothing extra, null allowed for unknowns', () => {
    expect(schema.jsonSchema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['category', 'founded_year', 'public', 'homepage', 'tier'],
    });
    expect((schema.jsonSchema.properties as Record<string, { enum?: unknown[] }>).tier!.enum).toEqual(['Budget', 'Mid', 'Premium', null]);
  });

  it('maps a valid answer back to column names', () => {
    const result = schema.parse(JSON.stringify({ category: 'Apparel', founded_year: 1973, public: false, homepage: 'https://www.patagonia.com', tier: 'premium' }));
    expect(result).toEqual({ ok: true, outputs: { Category: 'Apparel', 'Founded year': 1973, 'Public?': false, Homepage: 'https://www.patagonia.com', Tier: 'Premium' } });
  });

  it('accepts null as "unknown" for any type', () => {
    const result = schema.parse(JSON.stringify({ category: null, founded_year: null, public: null, homepage: '', tier: null }));
    expect(result.ok).toBe(true);
  });

  it('rejects text that is not JSON', () => {
    expect(schema.parse('{"category": "Appar')).toEqual({ ok: false, problem: 'the answer is not valid JSON' });
  });

  it('rejects wrong types, off-list values and non-http URLs, naming the field', () => {
    const result = schema.parse(JSON.stringify({ category: 'x', founded_year: '1973', public: false, homepage: 'javascript:alert(1)', tier: 'Luxury' }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toContain('founded_year');
      expect(result.problem).toContain('homepage');
      expect(result.problem).toContain('tier');
    }
  });

  it('gives two columns that slug alike distinct keys', () => {
    const s = buildOutputSchema([
      { name: 'A b', instruction: 'x', type: 'text' },
      { name: 'A-b', instruction: 'y', type: 'text' },
    ]);
    expect(s.fields.map((f) => f.key)).toEqual(['a_b', 'a_b_2']);
  });
});
