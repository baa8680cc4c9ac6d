// A job's mode: fast by default, cheap on request, refused with one exact line when it cannot be.
import { describe, expect, it } from 'vitest';
import { parseJobConfig } from '../../../backend/src/engine/job-config.js';

const base = { inputs: ['Company'], outputs: [{ name: 'Industry', instruction: 'Its industry' }], budgetUsd: 1 };

describe('job config mode', () => {
  it('is fast when not given, and a fast config stores no mode (old configs read the same)', () => {
    expect(parseJobConfig(base).mode).toBeUndefined();
    expect(parseJobConfig({ ...base, mode: 'fast' }).mode).toBeUndefined();
  });

  it('keeps cheap', () => {
    expect(parseJobConfig({ ...base, mode: 'cheap' }).mode).toBe('cheap');
  });

  it('refuses anything else with an exact message', () => {
    expect(() => parseJobConfig({ ...base, mode: 'slow' })).toThrow(/^mode: must be "fast" or "cheap"$/);
  });

  it('refuses research in cheap mode with one line', () => {
    expect(() => parseJobConfig({ ...base, mode: 'cheap', research: { enabled: true } })).toThrow(/^mode: research mode runs in fast mode only; choose "fast" or turn research off$/);
  });
});
