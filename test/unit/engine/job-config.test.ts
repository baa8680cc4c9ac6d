import { describe, expect, it } from 'vitest';
import { ConfigError, configHash, parseJobConfig } from '../../../backend/src/engine/job-config.js';

const base = { inputs: ['Brand'], outputs: [{ name: 'Category', instruction: 'Main category' }], budgetUsd: 1 };

describe('parseJobConfig', () => {
  it('fills documented defaults', () => {
    const c = parseJobConfig(base);
    expect(c).toMatchObject({ model: 'gpt-4.1-mini', workers: 8, maxAttempts: 5, force: false, outputs: [{ type: 'text' }] });
  });

  it.each([
    [{ workers: 0 }, 'workers: must be between 1 and 50'],
    [{ workers: 51 }, 'workers: must be between 1 and 50'],
    [{ budgetUsd: 0 }, 'budgetUsd: must be greater than 0'],
    [{ budgetUsd: -1 }, 'budgetUsd: must be greater than 0'],
    [{ inputs: [] }, 'inputs: choose at least one input column'],
    [{ outputs: [] }, 'outputs: add at least one output column'],
    [{ outputs: [{ name: 'T', instruction: 'x', type: 'enum', options: ['a'] }] }, 'an enum output needs at least 2 options'],
    [{ outputs: [{ name: 'Brand', instruction: 'x' }] }, '"Brand" is both an input and an output column'],
  ])('rejects %j with "%s"', (patch, message) => {
    expect(() => parseJobConfig({ ...base, ...patch })).toThrow(ConfigError);
    expect(() => parseJobConfig({ ...base, ...patch })).toThrow(message);
  });

  it('hashes configs that compute the same thing equally, whatever the workers or budget', () => {
    expect(configHash(parseJobConfig({ ...base, workers: 3 }))).toBe(configHash(parseJobConfig({ ...base, workers: 30, budgetUsd: 9 })));
    expect(configHash(parseJobConfig(base))).not.toBe(configHash(parseJobConfig({ ...base, model: 'gpt-4o' })));
  });
});
