// "Finish late rows fast": a Cheap-only choice the sidebar keeps, sends as config.lateRows, and the engine accepts.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, normalizeSettings, toJobConfig } from '../../../addon/src/settings-model.js';
import { parseJobConfig } from '../../../backend/src/engine/job-config.js';

const base = { inputs: ['Brand'], outputs: [{ name: 'Category', instruction: 'Main product category', type: 'text' }], model: 'gpt-4.1-mini', workers: 8, budgetUsd: 1 };

describe('settings: finish late rows fast', () => {
  it('is off by default and for settings stored before it existed', () => {
    expect(DEFAULT_SETTINGS.lateRowsFast).toBe(false);
    expect(normalizeSettings({ ...base, mode: 'cheap' }).lateRowsFast).toBe(false);
  });

  it('reads a ticked box (true or the form\'s "on")', () => {
    expect(normalizeSettings({ ...base, mode: 'cheap', lateRowsFast: true }).lateRowsFast).toBe(true);
    expect(normalizeSettings({ ...base, mode: 'cheap', lateRowsFast: 'on' }).lateRowsFast).toBe(true);
  });

  it('is sent as lateRows: "fast" with Cheap, and the engine keeps it', () => {
    const config = toJobConfig(normalizeSettings({ ...base, mode: 'cheap', lateRowsFast: true }));
    expect(config).toMatchObject({ mode: 'cheap', lateRows: 'fast' });
    expect(parseJobConfig(config).lateRows).toBe('fast');
  });

  it('is not sent unticked, nor with Fast (where the engine would refuse it), though a ticked box is kept', () => {
    expect('lateRows' in toJobConfig(normalizeSettings({ ...base, mode: 'cheap', lateRowsFast: false }))).toBe(false);
    const fast = normalizeSettings({ ...base, mode: 'fast', lateRowsFast: true });
    expect(fast.lateRowsFast).toBe(true);
    const config = toJobConfig(fast);
    expect('lateRows' in config).toBe(false);
    expect(() => parseJobConfig(config)).not.toThrow();
  });
});
