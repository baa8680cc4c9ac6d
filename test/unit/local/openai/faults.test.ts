// Fault drawing: exclusive kinds walked in a fixed order over one uniform draw.
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, NO_FAULTS, pickFault } from '../../../../local/openai/faults.js';

describe('pickFault', () => {
  it('never picks a fault when all rates are zero', () => {
    expect(pickFault(NO_FAULTS, 0)).toBeNull();
    expect(pickFault(NO_FAULTS, 0.999)).toBeNull();
  });

  it('maps the draw onto consecutive slices, one per kind', () => {
    const rates = { ...NO_FAULTS, error500: 0.25, hang: 0.25 };
    expect(pickFault(rates, 0.1)).toBe('error500');
    expect(pickFault(rates, 0.3)).toBe('hang');
    expect(pickFault(rates, 0.6)).toBeNull();
  });

  it('always picks the kind whose rate is 1', () => {
    for (const kind of FAULT_KINDS) expect(pickFault({ ...NO_FAULTS, [kind]: 1 }, 0.999)).toBe(kind);
  });
});
