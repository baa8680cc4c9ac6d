// Per-job research settings: defaults and the exact messages a user sees for a bad value.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configHash, parseJobConfig } from '../../../../backend/src/engine/job-config.js';
import { buildJobPlan } from '../../../../backend/src/engine/job-plan.js';
import { DEFAULT_PRICES } from '../../../../backend/src/kernel/models.js';
import { researchConfigField } from '../../../../backend/src/engine/research/research-options.js';

const schema = z.object({ ...researchConfigField });

function problems(research: unknown): string[] {
  const result = schema.safeParse({ research });
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('research options', () => {
  it('is off with 3 searches and 2 pages when absent or empty', () => {
    expect(schema.parse({}).research).toEqual({ enabled: false, maxSearches: 3, maxPages: 2 });
    expect(schema.parse({ research: { enabled: true } }).research).toEqual({ enabled: true, maxSearches: 3, maxPages: 2 });
  });

  it('says which limit is out of range', () => {
    expect(problems({ maxSearches: 0 })).toEqual(['research.maxSearches: must be between 1 and 8']);
    expect(problems({ maxSearches: 9 })).toEqual(['research.maxSearches: must be between 1 and 8']);
    expect(problems({ maxPages: 5 })).toEqual(['research.maxPages: must be between 0 and 4']);
    expect(problems({ maxPages: 1.5 })).toEqual(['research.maxPages: must be a whole number']);
    expect(problems({ enabled: 'yes' })).toEqual(['research.enabled: must be true or false']);
  });

  it('refuses unknown research settings', () => {
    expect(problems({ maxSearch: 2 })).toHaveLength(1);
  });
});

describe('research in the job config', () => {
  const base = { inputs: ['Brand'], outputs: [{ name: 'Founded', instruction: 'Year founded', type: 'number' }], budgetUsd: 1 };

  it('is carried only by a job that researches, with its defaults filled', () => {
    expect(parseJobConfig(base)).not.toHaveProperty('research');
    expect(parseJobConfig({ ...base, research: { enabled: false, maxSearches: 5 } })).not.toHaveProperty('research');
    expect(parseJobConfig({ ...base, research: { enabled: true } }).research).toEqual({ enabled: true, maxSearches: 3, maxPages: 2 });
  });

  it('says what is wrong with a research setting, under its path', () => {
    expect(() => parseJobConfig({ ...base, research: { enabled: true, maxPages: 9 } })).toThrow('research.maxPages: must be between 0 and 4');
  });

  it('keeps plain jobs’ config hash, and gives research jobs their own', () => {
    const plain = configHash(parseJobConfig(base));
    expect(configHash(parseJobConfig({ ...base, research: { enabled: false } }))).toBe(plain);
    const research = configHash(parseJobConfig({ ...base, research: { enabled: true } }));
    expect(research).not.toBe(plain);
    expect(configHash(parseJobConfig({ ...base, research: { enabled: true, maxSearches: 4 } }))).not.toBe(research);
  });

  it('makes a research plan whose reservation covers the searches, and keys its cache apart from plain answers', () => {
    const plain = buildJobPlan(parseJobConfig(base), DEFAULT_PRICES);
    const research = buildJobPlan(parseJobConfig({ ...base, research: { enabled: true } }), DEFAULT_PRICES);
    expect(plain.research).toBeUndefined();
    expect(research.research?.options).toEqual({ enabled: true, maxSearches: 3, maxPages: 2 });
    expect(research.cacheKey('h')).not.toBe(plain.cacheKey('h'));
    const inputs = { Brand: 'Acme' };
    expect(research.worstCaseCost(research.promptTokens(inputs))).toBeGreaterThan(plain.worstCaseCost(plain.promptTokens(inputs)) + 3 * 0.008);
  });
});
