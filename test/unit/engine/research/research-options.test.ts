// Per-job research settings: defaults and the exact messages a user sees for a bad value.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
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
