import { describe, expect, it } from 'vitest';
import { ConfigError, configHash, parseJobConfig } from '../../../backend/src/engine/job-config.js';
import { DEFAULT_LIMITS } from '../../../backend/src/kernel/limits.js';

const base = { inputs: ['Brand'], outputs: [{ name: 'Category', instruction: 'Main category' }], budgetUsd: 1 };

describe('parseJobConfig', () => {
  it('fills documented defaults', () => {
    const c = parseJobConfig(base);
    expect(c).toMatchObject({ model: 'gpt-4.1-mini', workers: 8, maxAttempts: 5, force: false, outputs: [{ type: 'text' }] });
  });

  it.each([
    [{ workers: 0 }, 'workers: must be between 1 and 50, or "auto"'],
    [{ workers: 51 }, 'workers: must be between 1 and 50, or "auto"'],
    [{ workers: 2.5 }, 'workers: must be a whole number from 1 to 50, or "auto"'],
    [{ workers: 'fast' }, 'workers: must be a whole number from 1 to 50, or "auto"'],
    [{ workers: '8' }, 'workers: must be a whole number from 1 to 50, or "auto"'],
    [{ budgetUsd: 0 }, 'budgetUsd: must be greater than 0'],
    [{ budgetUsd: -1 }, 'budgetUsd: must be greater than 0'],
    [{ inputs: [] }, 'inputs: choose at least one input column'],
    [{ outputs: [] }, 'outputs: add at least one output column'],
    [{ outputs: [{ name: 'T', instruction: 'x', type: 'enum', options: ['a'] }] }, 'an enum output needs at least 2 options'],
    [{ outputs: [{ name: 'Brand', instruction: 'x' }] }, '"Brand" is both an input and an output column'],
    [{ price: { input: 0, output: 1 } }, 'price.input: must be greater than 0'],
    [{ price: { input: 1, output: -2 } }, 'price.output: must be greater than 0'],
    [{ price: { input: 1, output: 1, cachedInput: 0 } }, 'price.cachedInput: must be greater than 0'],
    [{ price: { input: 1, output: 1001 } }, 'price.output: must be at most 1000 (USD per 1M tokens)'],
    [{ price: { input: 1 } }, 'price.output: enter the price per 1M output tokens'],
    [{ price: { input: 1, output: 2, discount: 1 } }, 'price: Unrecognized key'],
  ])('rejects %j with "%s"', (patch, message) => {
    expect(() => parseJobConfig({ ...base, ...patch })).toThrow(ConfigError);
    expect(() => parseJobConfig({ ...base, ...patch })).toThrow(message);
  });

  it('takes "auto" for as many rows in flight as the rate limits allow, and keeps numeric workers as they were', () => {
    expect(parseJobConfig({ ...base, workers: 'auto' }).workers).toBe('auto');
    expect(parseJobConfig({ ...base, workers: 50 }).workers).toBe(50);
    expect(configHash(parseJobConfig({ ...base, workers: 'auto' }))).toBe(configHash(parseJobConfig({ ...base, workers: 3 })));
  });

  it('names a lowered server cap in the workers message', () => {
    expect(() => parseJobConfig({ ...base, workers: 21 }, { ...DEFAULT_LIMITS, maxWorkers: 20 })).toThrow('workers: must be between 1 and 20, or "auto"');
  });

  it('hashes configs that compute the same thing equally, whatever the workers or budget', () => {
    expect(configHash(parseJobConfig({ ...base, workers: 3 }))).toBe(configHash(parseJobConfig({ ...base, workers: 30, budgetUsd: 9 })));
    expect(configHash(parseJobConfig(base))).not.toBe(configHash(parseJobConfig({ ...base, model: 'gpt-4o' })));
  });

  it('takes a per-job price per 1M tokens, the cached input price defaulting to the input price', () => {
    expect(parseJobConfig({ ...base, model: 'gpt-9', price: { input: 3, output: 12 } }).price).toEqual({ input: 3, output: 12, cachedInput: 3 });
    expect(parseJobConfig({ ...base, price: { input: 3, output: 12, cachedInput: 0.5 } }).price).toEqual({ input: 3, output: 12, cachedInput: 0.5 });
    expect(parseJobConfig(base).price).toBeUndefined();
    // A price changes what a job costs, not what it computes: results stay comparable.
    expect(configHash(parseJobConfig({ ...base, price: { input: 3, output: 12 } }))).toBe(configHash(parseJobConfig(base)));
  });
});
