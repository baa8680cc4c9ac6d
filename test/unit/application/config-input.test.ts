// A request's job config is parsed once, at the edge, with this deployment's caps; refusals name each field.
import { describe, expect, it } from 'vitest';
import { parseConfigInput } from '../../../backend/src/application/config-input.js';
import { DEFAULT_LIMITS } from '../../../backend/src/kernel/limits.js';

const BODY = { inputs: ['Brand'], outputs: [{ name: 'Category', instruction: 'Main category' }], budgetUsd: 2 };

describe('parseConfigInput', () => {
  it('fills in the documented defaults', () => {
    expect(parseConfigInput(BODY, DEFAULT_LIMITS)).toMatchObject({ model: 'gpt-4.1-mini', workers: 8, budgetUsd: 2, force: false, outputs: [{ name: 'Category', type: 'text' }] });
  });

  it("refuses what this deployment's caps do not allow as invalid_config, one line per field", () => {
    const limits = { ...DEFAULT_LIMITS, maxBudgetUsd: 1 };
    expect(() => parseConfigInput({ ...BODY, inputs: [] }, limits)).toThrow(expect.objectContaining({ code: 'invalid_config', message: 'inputs: choose at least one input column\nbudgetUsd: must be at most 1' }));
  });
});
