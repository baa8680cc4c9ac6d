// The sidebar and the engine agree: the models the sidebar offers are the ones the engine prices, and every cap the
// sidebar checks lets through exactly what the engine (and the HTTP API) accept, no more and no less.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, LIMITS, MODELS, normalizeSettings, toJobConfig, validateSettings, type Settings } from '../../../addon/src/settings-model.js';
import { parseJobConfig } from '../../../backend/src/engine/job-config.js';
import { selectionSchema } from '../../../backend/src/http/api-types.js';
import { DEFAULT_PRICES, priceFor } from '../../../backend/src/kernel/models.js';

const base: Settings = normalizeSettings({
  inputs: ['Brand'],
  outputs: [{ name: 'Category', instruction: 'Main product category', type: 'text' }],
  model: 'gpt-4.1-mini',
  workers: 8,
  budgetUsd: 1,
});

/** Whether the sidebar lets these settings through, and whether the engine accepts the config it would send. */
function verdicts(settings: Settings): { sidebar: boolean; engine: boolean } {
  let engine = true;
  try {
    parseJobConfig(toJobConfig(settings));
  } catch {
    engine = false;
  }
  return { sidebar: validateSettings(settings).length === 0, engine };
}

const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const outputs = (n: number) => names(n, 'Out').map((name) => ({ name, instruction: 'Say something', type: 'text' as const, options: [] }));
const research = (maxSearches: number, maxPages: number) => ({ research: { enabled: true, maxSearches, maxPages } });

/** Each cap the sidebar checks, with settings just inside it and just past it. */
const caps: ReadonlyArray<readonly [string, Partial<Settings>, Partial<Settings>]> = [
  ['most workers', { workers: LIMITS.maxWorkers }, { workers: LIMITS.maxWorkers + 1 }],
  ['fewest workers', { workers: LIMITS.minWorkers }, { workers: LIMITS.minWorkers - 1 }],
  ['budget', { budgetUsd: LIMITS.maxBudgetUsd }, { budgetUsd: LIMITS.maxBudgetUsd + 0.01 }],
  ['input columns', { inputs: names(LIMITS.maxInputs, 'In') }, { inputs: names(LIMITS.maxInputs + 1, 'In') }],
  ['output columns', { outputs: outputs(LIMITS.maxOutputs) }, { outputs: outputs(LIMITS.maxOutputs + 1) }],
  ['column name', { outputs: [{ ...outputs(1)[0]!, name: 'x'.repeat(LIMITS.maxNameChars) }] }, { outputs: [{ ...outputs(1)[0]!, name: 'x'.repeat(LIMITS.maxNameChars + 1) }] }],
  ['instruction', { outputs: [{ ...outputs(1)[0]!, instruction: 'x'.repeat(LIMITS.maxInstructionChars) }] }, { outputs: [{ ...outputs(1)[0]!, instruction: 'x'.repeat(LIMITS.maxInstructionChars + 1) }] }],
  ['enum options', { outputs: [{ ...outputs(1)[0]!, type: 'enum', options: names(LIMITS.maxOptions, 'o') }] }, { outputs: [{ ...outputs(1)[0]!, type: 'enum', options: names(LIMITS.maxOptions + 1, 'o') }] }],
  ['most searches', research(LIMITS.maxSearches, 2), research(LIMITS.maxSearches + 1, 2)],
  ['fewest searches', research(LIMITS.minSearches, 2), research(LIMITS.minSearches - 1, 2)],
  ['most pages', research(3, LIMITS.maxPages), research(3, LIMITS.maxPages + 1)],
  ['fewest pages', research(3, LIMITS.minPages), research(3, LIMITS.minPages - 1)],
  ['typed price', { model: 'my-model', price: { input: LIMITS.maxPricePerMillion, output: 1 } }, { model: 'my-model', price: { input: LIMITS.maxPricePerMillion + 1, output: 1 } }],
];

describe('the sidebar and the engine', () => {
  it('offer exactly the models the engine has a list price for, the engine\'s default first', () => {
    expect([...MODELS].sort()).toEqual(Object.keys(DEFAULT_PRICES).sort());
    expect(MODELS[0]).toBe(DEFAULT_SETTINGS.model);
    expect(parseJobConfig({ inputs: ['Brand'], outputs: [{ name: 'Category', instruction: 'x' }], budgetUsd: null }).model).toBe(DEFAULT_SETTINGS.model);
  });

  it('ask for a price only for a model the engine cannot price: a dated version of a listed model has one', () => {
    for (const model of ['gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14', 'gpt-5', 'gpt-9', 'gpt-5-turbo', 'GPT-5']) {
      const kept = normalizeSettings({ ...base, model, price: { input: 1, output: 2 } }).price !== undefined;
      expect(kept, model).toBe(priceFor(model, DEFAULT_PRICES) === undefined);
    }
  });

  it.each(caps)('accept the same %s: at the cap both take it, past it both refuse', (_cap, inside, past) => {
    expect(verdicts({ ...base, ...inside })).toEqual({ sidebar: true, engine: true });
    expect(verdicts({ ...base, ...past })).toEqual({ sidebar: false, engine: false });
  });

  it('agree on the Speed choice: Cheap alone passes both, Cheap with research is refused by both, on the same field', () => {
    expect(verdicts({ ...base, mode: 'cheap' })).toEqual({ sidebar: true, engine: true });
    expect(parseJobConfig(toJobConfig({ ...base, mode: 'cheap' })).mode).toBe('cheap');
    const both: Settings = { ...base, mode: 'cheap', research: { enabled: true, maxSearches: 3, maxPages: 2 } };
    expect(verdicts(both)).toEqual({ sidebar: false, engine: false });
    expect(validateSettings(both).map((e) => e.field)).toEqual(['mode']);
  });

  it('accept the same header rows as the HTTP API', () => {
    const selection = (headerRow: number) => selectionSchema.safeParse({ spreadsheetId: 'a'.repeat(20), sheetId: 0, ranges: ['A2:B3'], headerRow, config: {} }).success;
    expect([validateSettings({ ...base, headerRow: LIMITS.maxHeaderRow }).length === 0, selection(LIMITS.maxHeaderRow)]).toEqual([true, true]);
    expect([validateSettings({ ...base, headerRow: LIMITS.maxHeaderRow + 1 }).length === 0, selection(LIMITS.maxHeaderRow + 1)]).toEqual([false, false]);
  });
});
