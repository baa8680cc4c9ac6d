// Settings validation: defaults, merges, and error messages that name the bad field.
import { describe, expect, it } from 'vitest';
import { applySettings, DEFAULT_SETTINGS } from '../../../../local/openai/settings.js';

describe('applySettings', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ latencyMs: 0, jitterMs: 0, rpm: null, tpm: null, burstSeconds: 1, hangMs: 600_000, rejectKey: 'sk-invalid', logLimit: 1_000_000 });
    expect(DEFAULT_SETTINGS.models).toEqual(['gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4.1', 'gpt-4o-mini', 'gpt-4o', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5']);
  });

  it('merges faults per kind and lets null remove a limit', () => {
    const limited = applySettings(DEFAULT_SETTINGS, { rpm: 60, faults: { error500: 0.1 } });
    const next = applySettings(limited, { rpm: null, faults: { hang: 0.2 } });
    expect(next.rpm).toBeNull();
    expect(next.faults.error500).toBe(0.1);
    expect(next.faults.hang).toBe(0.2);
  });

  it('rejects bad values with a message naming the field', () => {
    expect(() => applySettings(DEFAULT_SETTINGS, { latencyMs: -1 })).toThrow('OpenAiStandIn: latencyMs must be a finite number >= 0, got -1');
    expect(() => applySettings(DEFAULT_SETTINGS, { rpm: 0 })).toThrow('OpenAiStandIn: rpm must be a positive number or null, got 0');
    expect(() => applySettings(DEFAULT_SETTINGS, { models: [] })).toThrow('OpenAiStandIn: models must be a non-empty array of non-empty strings, got []');
    expect(() => applySettings(DEFAULT_SETTINGS, { logLimit: 1.5 })).toThrow('OpenAiStandIn: logLimit must be a positive integer, got 1.5');
    expect(() => applySettings(DEFAULT_SETTINGS, { speed: 1 })).toThrow('OpenAiStandIn: unknown option "speed"');
    expect(() => applySettings(DEFAULT_SETTINGS, 'fast')).toThrow('OpenAiStandIn: options must be an object');
  });

  it('rejects unknown faults, rates outside [0, 1] and rates that sum above 1', () => {
    expect(() => applySettings(DEFAULT_SETTINGS, { faults: { flood: 0.1 } })).toThrow(/^OpenAiStandIn: unknown fault "flood" \(known: error500, hang, /);
    expect(() => applySettings(DEFAULT_SETTINGS, { faults: { hang: 2 } })).toThrow('OpenAiStandIn: faults.hang must be a number from 0 to 1, got 2');
    expect(() => applySettings(DEFAULT_SETTINGS, { faults: { hang: 0.6, error500: 0.6 } })).toThrow('OpenAiStandIn: fault probabilities must sum to at most 1, got 1.2');
  });
});
