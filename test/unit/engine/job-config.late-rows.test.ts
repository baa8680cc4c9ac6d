// "Finish late rows fast": a cheap job's choice, absent by default (old configs read the same), refused outside cheap mode.
import { describe, expect, it } from 'vitest';
import { configHash, parseJobConfig } from '../../../backend/src/engine/job-config.js';

const base = { inputs: ['Company'], outputs: [{ name: 'Industry', instruction: 'Its industry' }], budgetUsd: 1 };

describe('job config lateRows', () => {
  it('is absent when not given or "batch", so cheap configs store what they did before', () => {
    expect('lateRows' in parseJobConfig({ ...base, mode: 'cheap' })).toBe(false);
    expect('lateRows' in parseJobConfig({ ...base, mode: 'cheap', lateRows: 'batch' })).toBe(false);
  });

  it('keeps fast in a cheap job, and leaves the config hash (the cache and skip-unchanged key) alone', () => {
    const late = parseJobConfig({ ...base, mode: 'cheap', lateRows: 'fast' });
    expect(late.lateRows).toBe('fast');
    expect(configHash(late)).toBe(configHash(parseJobConfig({ ...base, mode: 'cheap' })));
  });

  it('refuses anything else with an exact message', () => {
    expect(() => parseJobConfig({ ...base, mode: 'cheap', lateRows: 'soon' })).toThrow(/^lateRows: must be "batch" or "fast"$/);
  });

  it('refuses fast late rows in a fast job with one line', () => {
    expect(() => parseJobConfig({ ...base, lateRows: 'fast' })).toThrow(/^lateRows: finishing late rows fast needs cheap mode; choose mode "cheap" or leave lateRows out$/);
  });
});
