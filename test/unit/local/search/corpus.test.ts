// The generated corpus: the same seed gives the same companies, every example brand is in it, slugs are DNS labels.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCorpus, slugOf } from '../../../../local/search/corpus.js';

describe('buildCorpus', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = buildCorpus({ seed: 1, generated: 200, brands: true });
    expect(buildCorpus({ seed: 1, generated: 200, brands: true })).toEqual(a);
    expect(buildCorpus({ seed: 2, generated: 200, brands: true }).slice(0, 200)).not.toEqual(a.slice(0, 200));
  });

  it('holds the requested generated companies plus every brand of examples/brands.csv', () => {
    const corpus = buildCorpus({ seed: 1, generated: 200, brands: true });
    const generatedOnly = buildCorpus({ seed: 1, generated: 200, brands: false });
    expect(generatedOnly).toHaveLength(200);
    const brands = readFileSync(new URL('../../../../examples/brands.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
    const slugs = new Set(corpus.map((c) => c.slug));
    for (const line of brands) expect(slugs.has(slugOf(line.split(',')[0]!))).toBe(true);
  });

  it('examples/brands.csv has three plain columns (the reader splits on commas)', () => {
    const lines = readFileSync(new URL('../../../../examples/brands.csv', import.meta.url), 'utf8').trim().split('\n');
    for (const line of lines) {
      expect(line).not.toContain('"');
      expect(line.split(',')).toHaveLength(3);
    }
  });

  it('gives every company a unique slug that is a valid DNS label, and plausible facts', () => {
    const corpus = buildCorpus({ seed: 1, generated: 200, brands: true });
    expect(new Set(corpus.map((c) => c.slug)).size).toBe(corpus.length);
    for (const c of corpus) {
      expect(c.slug).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
      expect(c.founded).toBeGreaterThanOrEqual(1890);
      expect(c.founded).toBeLessThan(2026);
      expect(c.employees).toBeGreaterThan(0);
      expect(c.headquarters).toContain(c.country);
    }
  });

  it("slugOf keeps letters and digits: Arc'teryx → arcteryx, Canada Goose → canada-goose", () => {
    expect(slugOf("Arc'teryx")).toBe('arcteryx');
    expect(slugOf('Canada Goose')).toBe('canada-goose');
    expect(slugOf('Björn Borg')).toBe('bjorn-borg');
  });
});
