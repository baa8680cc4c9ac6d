// The stand-in's dispatch rate rule: token bucket with a fifth of a second of burst, halving on 429/503, cooldown, recovery.
import { describe, expect, it } from 'vitest';
import { DispatchRate } from '../../../../local/cloud-tasks/dispatch-rate.js';

const t0 = 1_000_000;

function drain(rate: DispatchRate, now: number): number {
  let taken = 0;
  while (rate.tryTake(now)) taken += 1;
  return taken;
}

describe('DispatchRate', () => {
  it('starts with a fifth of a second of burst and refills at the configured rate', () => {
    const rate = new DispatchRate(100, t0);
    expect(drain(rate, t0)).toBe(20);
    expect(rate.msUntilToken(t0)).toBe(10);
    expect(drain(rate, t0 + 50)).toBe(5);
    expect(drain(rate, t0 + 60_000)).toBe(20);
  });

  it('allows one dispatch at a time below five per second', () => {
    const rate = new DispatchRate(2, t0);
    expect(drain(rate, t0)).toBe(1);
    expect(rate.msUntilToken(t0)).toBe(500);
  });

  it('halves on a throttle signal, ignores more inside the cooldown, and recovers a tenth of the rate per second', () => {
    const rate = new DispatchRate(100, t0);
    expect(rate.throttle(t0)).toBe(true);
    expect(rate.rate(t0)).toBe(50);
    expect(rate.throttle(t0 + 500)).toBe(false);
    expect(rate.rate(t0 + 1000)).toBeCloseTo(60);
    expect(rate.rate(t0 + 5000)).toBe(100);
    expect(drain(rate, t0)).toBe(10);
  });

  it('never throttles below one per second', () => {
    const rate = new DispatchRate(3, t0);
    for (let i = 0; i < 5; i += 1) rate.throttle(t0 + i * 1000);
    expect(rate.rate(t0 + 4000)).toBeGreaterThanOrEqual(1);
  });

  it('takes a new configured rate at once', () => {
    const rate = new DispatchRate(100, t0);
    rate.setMax(10, t0);
    expect(drain(rate, t0)).toBe(2);
    expect(rate.rate(t0)).toBe(10);
  });
});
