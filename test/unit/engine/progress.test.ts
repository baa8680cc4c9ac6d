import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../../backend/src/engine/progress.js';

describe('RateMeter', () => {
  it('measures rows per minute from finished counts', () => {
    const m = new RateMeter();
    m.sample(0, 0);
    expect(m.sample(10, 1000)).toBeCloseTo(600);
  });

  it('smooths a stall instead of dropping to zero at once', () => {
    const m = new RateMeter(20_000);
    m.sample(0, 0);
    m.sample(100, 10_000);
    const after = m.sample(100, 11_000);
    expect(after).toBeGreaterThan(500);
    expect(after).toBeLessThan(600);
  });
});
