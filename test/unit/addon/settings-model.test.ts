// Sidebar settings: what a form or a stored property becomes, every problem tied to its field, and the job config sent.
import { describe, expect, it } from 'vitest';
import { normalizeSettings, parseOptions, toJobConfig, validateSettings } from '../../../addon/src/settings-model.js';

const good = normalizeSettings({
  inputs: ['Brand', ' Website ', 'Brand'],
  outputs: [
    { name: 'Category', instruction: 'Main product category', type: 'text' },
    { name: 'Positioning', instruction: 'Price positioning', type: 'enum', options: 'budget, mid-range | premium\nluxury, budget' },
  ],
  model: 'gpt-4.1-mini',
  workers: '16',
  budgetUsd: '0.50',
});

describe('settings', () => {
  it('normalizes form values: trimmed, de-duplicated, numbers parsed, enum options split', () => {
    expect(good).toEqual({
      inputs: ['Brand', 'Website'],
      outputs: [
        { name: 'Category', instruction: 'Main product category', type: 'text', options: [] },
        { name: 'Positioning', instruction: 'Price positioning', type: 'enum', options: ['budget', 'mid-range', 'premium', 'luxury'] },
      ],
      model: 'gpt-4.1-mini',
      workers: 16,
      budgetUsd: 0.5,
      headerRow: 1,
    });
    expect(parseOptions(['a', ' b ', '', 'a'])).toEqual(['a', 'b']);
    expect(normalizeSettings(null)).toMatchObject({ inputs: [], outputs: [], model: 'gpt-4.1-mini' });
  });

  it('accepts good settings against the header row', () => {
    expect(validateSettings(good, ['Brand', 'Website', 'Country'])).toEqual([]);
  });

  it('names each field that needs fixing', () => {
    const bad = normalizeSettings({
      inputs: ['Brand', 'Gone'],
      outputs: [
        { name: 'Brand', instruction: 'x', type: 'text' },
        { name: 'Tier', instruction: '', type: 'enum', options: 'only-one' },
        { name: 'tier', instruction: 'again', type: 'text' },
        { name: 'rowfill_status', instruction: 'mine', type: 'text' },
        { name: '', instruction: 'y', type: 'bogus' },
      ],
      model: '',
      workers: 0,
      budgetUsd: -1,
      headerRow: 0,
    });
    expect(validateSettings(bad, ['Brand', 'Website']).map((e) => e.field)).toEqual([
      'inputs',
      'outputs.0.name',
      'outputs.1.instruction',
      'outputs.1.options',
      'outputs.2.name',
      'outputs.3.name',
      'outputs.4.name',
      'workers',
      'budgetUsd',
      'headerRow',
    ]);
    expect(bad.model).toBe('gpt-4.1-mini');
    expect(validateSettings(normalizeSettings({ workers: 51, budgetUsd: 20_000 })).map((e) => e.message)).toEqual([
      'Choose at least one input column.',
      'Add at least one output column.',
      'Workers must be a whole number from 1 to 50.',
      'The budget can be at most $10000.',
    ]);
  });

  it('becomes the job config the backend parses, options only for one-of lists', () => {
    expect(toJobConfig(good)).toEqual({
      inputs: ['Brand', 'Website'],
      outputs: [
        { name: 'Category', instruction: 'Main product category', type: 'text' },
        { name: 'Positioning', instruction: 'Price positioning', type: 'enum', options: ['budget', 'mid-range', 'premium', 'luxury'] },
      ],
      model: 'gpt-4.1-mini',
      workers: 16,
      budgetUsd: 0.5,
    });
  });
});
