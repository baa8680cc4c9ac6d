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
      workersAuto: false,
      budgetUsd: 0.5,
      headerRow: 1,
      research: { enabled: false, maxSearches: 3, maxPages: 2 },
      mode: 'fast',
      lateRowsFast: false,
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

  it('keeps "As fast as my limits allow" off by default; when on, sends workers "auto" and leaves the Workers field unchecked', () => {
    expect(good.workersAuto).toBe(false);
    const auto = normalizeSettings({ ...good, workersAuto: true, workers: '500' });
    expect(validateSettings(auto, ['Brand', 'Website'])).toEqual([]);
    expect(toJobConfig(auto)).toMatchObject({ workers: 'auto' });
    // The number typed before stays, and counts again once the choice is off.
    expect(auto.workers).toBe(500);
    expect(validateSettings({ ...auto, workersAuto: false }, ['Brand', 'Website'])).toEqual([{ field: 'workers', message: 'Workers must be a whole number from 1 to 50.' }]);
    expect(normalizeSettings({ ...good, workersAuto: 'on' }).workersAuto).toBe(true);
  });

  it('keeps "Research the web" off by default, its limits checked only when on, and sends config.research only when on', () => {
    expect(normalizeSettings({}).research).toEqual({ enabled: false, maxSearches: 3, maxPages: 2 });
    const on = normalizeSettings({ ...good, research: { enabled: true, maxSearches: '5', maxPages: '0' } });
    expect(validateSettings(on)).toEqual([]);
    expect(toJobConfig(on)).toMatchObject({ research: { enabled: true, maxSearches: 5, maxPages: 0 } });
    expect(toJobConfig(good)).not.toHaveProperty('research');
    const bad = normalizeSettings({ ...good, research: { enabled: true, maxSearches: '9', maxPages: '1.5' } });
    expect(validateSettings(bad)).toEqual([
      { field: 'maxSearches', message: 'Searches per row must be a whole number from 1 to 8.' },
      { field: 'maxPages', message: 'Pages read per row must be a whole number from 0 to 4.' },
    ]);
    // Off, out-of-range limits are kept but not judged: they are not sent.
    expect(validateSettings(normalizeSettings({ ...good, research: { enabled: false, maxSearches: '9' } }))).toEqual([]);
  });

  it('keeps the Speed choice Fast by default (settings saved before it read as Fast), sends config.mode only for Cheap, and refuses Cheap with research', () => {
    expect(normalizeSettings({}).mode).toBe('fast');
    expect(normalizeSettings({ ...good, mode: 'turbo' }).mode).toBe('fast');
    const cheap = normalizeSettings({ ...good, mode: 'cheap' });
    expect(cheap.mode).toBe('cheap');
    expect(validateSettings(cheap)).toEqual([]);
    expect(toJobConfig(cheap)).toMatchObject({ mode: 'cheap' });
    // A fast job's config (and so its cache keys) stays as it was before the choice existed.
    expect(toJobConfig(good)).not.toHaveProperty('mode');
    // Kept across a save: what is stored is read back the same.
    expect(normalizeSettings(JSON.parse(JSON.stringify(cheap)))).toEqual(cheap);
    expect(validateSettings(normalizeSettings({ ...cheap, research: { enabled: true } }))).toEqual([
      { field: 'mode', message: 'Research the web runs in Fast mode only: choose Fast, or turn research off.' },
    ]);
  });

  it('refuses an output named like any column Rowfill writes itself', () => {
    for (const name of ['rowfill_id', 'rowfill_status', 'ROWFILL_ERROR', 'rowfill_cost_usd', 'rowfill_sources']) {
      const settings = normalizeSettings({ inputs: ['Brand'], outputs: [{ name, instruction: 'x', type: 'text' }], workers: 1, budgetUsd: 1 });
      expect(validateSettings(settings).map((e) => e.field)).toEqual(['outputs.0.name']);
    }
  });

  it('keeps a price per 1M tokens for an unlisted model only, checks it, and sends it as the job\'s price', () => {
    const base = { inputs: ['Brand'], outputs: [{ name: 'Tier', instruction: 'Price tier', type: 'text' }], workers: 4, budgetUsd: 1 };
    const priced = normalizeSettings({ ...base, model: 'gpt-9', price: { input: '1.5', output: '6' } });
    expect(priced.price).toEqual({ input: 1.5, output: 6 });
    expect(validateSettings(priced, ['Brand'])).toEqual([]);
    expect(toJobConfig(priced)).toMatchObject({ model: 'gpt-9', price: { input: 1.5, output: 6 } });
    // A listed model has its price in the engine; a stale one typed for another model is dropped.
    expect(normalizeSettings({ ...base, model: 'gpt-4.1-mini', price: { input: 1, output: 2 } }).price).toBeUndefined();
    expect(normalizeSettings({ ...base, model: 'gpt-9', price: { input: '', output: '' } }).price).toBeUndefined();
    const half = normalizeSettings({ ...base, model: 'gpt-9', price: { input: '2', output: '' } });
    expect(validateSettings(half, ['Brand'])).toEqual([{ field: 'priceOutput', message: 'Enter the output price in USD per 1M tokens: more than 0, at most 1000.' }]);
  });
});
