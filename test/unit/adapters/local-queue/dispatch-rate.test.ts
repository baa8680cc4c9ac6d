// Unit tests for the dispatch rate rule: token bucket, burst size, halving on slow-down, cooldown and recovery.
import { describe, expect, it } from 'vitest';
import { DispatchRate } from '../../../../backend/src/adapters/local-queue/dispatch-rate.js';

const t0 = 1_000_000;

describe('DispatchRate', () => {
  it('starts with a tenth of a second of burst and refills at the configured rate', () => {
    const rate = new DispatchRate(100, t0);
    expect(rate.available(t0)).toBe(10);
    rate.take(10, t0);
    expect(rate.available(t0)).toBe(0);
    expect(rate.available(t0 + 50)).toBe(5);
  });

  it('never stores more than the burst, however long it was idle', () => {
    const rate = new DispatchRate(100, t0);
    expect(rate.available(t0 + 60_000)).toBe(10);
  });

  it('allows at least one dispatch at a time when the rate is below ten per second', () => {
    const rate = new DispatchRate(2, t0);
    expect(rate.available(t0)).toBe(1);
    rate.take(1, t0);
    expect(rate.available(t0 + 499)).toBe(0);
    expect(rate.available(t0 + 500)).toBe(1);
  });

  it('says how long until the wanted dispatches are allowed', () => {
    const rate = new DispatchRate(100, t0);
    rate.take(10, t0);
    expect(rate.msUntil(1, t0)).toBe(10);
    expect(rate.msUntil(5, t0)).toBe(50);
    expect(rate.msUntil(500, t0)).toBe(100);
  });

  it('halves the rate on a slow-down signal and drains the bucket to its new size', () => {
    const rate = new DispatchRate(100, t0);
    expect(rate.slowDown(t0)).toBe(true);
    expect(rate.rate(t0)).toBe(50);
    expect(rate.available(t0)).toBe(5);
  });

  it('counts slow-down signals inside the cooldown once', () => {
    const rate = new DispatchRate(100, t0);
    rate.slowDown(t0);
    expect(rate.slowDown(t0 + 500)).toBe(false);
    expect(rate.rate(t0 + 500)).toBe(55);
    expect(rate.slowDown(t0 + 1000)).toBe(true);
    expect(rate.rate(t0 + 1000)).toBe(30);
  });

  it('recovers by a tenth of the configured rate per second until it is back at full rate', () => {
    const rate = new DispatchRate(100, t0);
    rate.slowDown(t0);
    expect(rate.rate(t0 + 1000)).toBe(60);
    expect(rate.rate(t0 + 4000)).toBe(90);
    expect(rate.rate(t0 + 5000)).toBe(100);
    expect(rate.rate(t0 + 60_000)).toBe(100);
  });

  it('never slows below one dispatch per second', () => {
    const rate = new DispatchRate(8, t0);
    for (let i = 0; i < 10; i += 1) rate.slowDown(t0 + i * 1000);
    expect(rate.rate(t0 + 9000)).toBe(1);
  });

  it('refills at the slowed rate while slowed', () => {
    const rate = new DispatchRate(100, t0);
    rate.slowDown(t0);
    rate.take(5, t0);
    // 100 ms at a rate between 50/s and 51/s.
    expect(rate.available(t0 + 100)).toBe(5);
  });
});
