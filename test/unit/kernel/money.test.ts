// Unit tests for the dollar ↔ nano-dollar conversion that keeps the SQLite store's budget arithmetic exact.
import { describe, expect, it } from 'vitest';
import { MAX_USD, NANOS_PER_USD, nanosToUsd, nanosToUsdOrNull, usdToNanos, usdToNanosOrNull } from '../../../backend/src/kernel/money.js';

describe('money conversion', () => {
  it('converts dollars to whole nano-dollars', () => {
    expect(usdToNanos(1)).toBe(NANOS_PER_USD);
    expect(usdToNanos(0.1)).toBe(100_000_000);
    expect(usdToNanos(0.000000001)).toBe(1);
    expect(usdToNanos(0)).toBe(0);
    expect(Number.isInteger(usdToNanos(0.123456789123))).toBe(true);
  });

  it('rounds amounts finer than a nano-dollar to the nearest nano-dollar', () => {
    expect(usdToNanos(0.0000000014)).toBe(1);
    expect(usdToNanos(0.0000000016)).toBe(2);
  });

  it('round-trips any amount with at most nine decimals exactly', () => {
    for (const usd of [0.1, 0.2, 0.3, 0.73, 1.23456789, 0.000001, 12.5, 99999.999999999]) {
      expect(nanosToUsd(usdToNanos(usd))).toBe(usd);
    }
  });

  it('adds up without the drift floating-point sums show', () => {
    let floatSum = 0;
    let nanoSum = 0;
    for (let i = 0; i < 10; i++) {
      floatSum += 0.1;
      nanoSum += usdToNanos(0.1);
    }
    expect(floatSum).not.toBe(1);
    expect(nanosToUsd(nanoSum)).toBe(1);
    expect(usdToNanos(0.1) + usdToNanos(0.2)).toBe(usdToNanos(0.3));
    // A budget of 0.73 holds exactly 73 reservations of 0.01, although 0.73 / 0.01 < 73 in floating point.
    expect(Math.floor(usdToNanos(0.73) / usdToNanos(0.01))).toBe(73);
  });

  it('refuses negative, non-finite and too-large amounts, naming the amount', () => {
    expect(() => usdToNanos(-0.01, 'costUsd')).toThrow('costUsd must not be negative, got -0.01');
    expect(() => usdToNanos(Number.NaN, 'reserveUsd')).toThrow('reserveUsd must be a finite number of USD, got NaN');
    expect(() => usdToNanos(Number.POSITIVE_INFINITY)).toThrow('amount must be a finite number of USD, got Infinity');
    expect(() => usdToNanos(MAX_USD + 1, 'budgetUsd')).toThrow(`budgetUsd must be at most ${MAX_USD} USD, got ${MAX_USD + 1}`);
    expect(Number.isSafeInteger(usdToNanos(MAX_USD))).toBe(true);
  });

  it('keeps null (no budget cap) as null both ways', () => {
    expect(usdToNanosOrNull(null)).toBeNull();
    expect(nanosToUsdOrNull(null)).toBeNull();
    expect(usdToNanosOrNull(2.5)).toBe(2_500_000_000);
    expect(nanosToUsdOrNull(2_500_000_000)).toBe(2.5);
  });
});
