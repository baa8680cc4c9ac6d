import { describe, expect, it } from 'vitest';
import { autoWindow, CallStats, LATENCY_GUESS_MS, UNKNOWN_RATE_WINDOW } from '../../../backend/src/engine/in-flight.js';

const perMs = (perMinute: number) => perMinute / 60_000;

describe('autoWindow', () => {
  it('keeps the window a workers job may have while no limit is known', () => {
    expect(autoWindow({ cap: 500 })).toBe(UNKNOWN_RATE_WINDOW);
    expect(autoWindow({ cap: 20 })).toBe(20);
    // A tokens/min limit says nothing in calls until a call's size is known.
    expect(autoWindow({ tokensPerMs: perMs(1_000_000), cap: 500 })).toBe(UNKNOWN_RATE_WINDOW);
  });

  it('is requests/min × latency with a margin (Little\'s law), up to the cap', () => {
    // 10,000 requests/min at 1 s: 167 calls in flight serve the limit; the margin keeps rows waiting for the limiter.
    expect(autoWindow({ requestsPerMs: perMs(10_000), latencyMs: 1000, cap: 500 })).toBe(250);
    // At 3 s it would be 750: the server's cap holds.
    expect(autoWindow({ requestsPerMs: perMs(10_000), latencyMs: 3000, cap: 500 })).toBe(500);
    // Before any answer the latency is a guess.
    expect(autoWindow({ requestsPerMs: perMs(600), cap: 500 })).toBe(Math.ceil((600 / 60_000) * LATENCY_GUESS_MS * 1.5));
  });

  it('follows tokens/min when it is the tighter limit', () => {
    // 600,000 tokens/min at 2,000 tokens a call = 300 calls/min, tighter than 10,000 requests/min.
    expect(autoWindow({ requestsPerMs: perMs(10_000), tokensPerMs: perMs(600_000), tokensPerCall: 2000, latencyMs: 2000, cap: 500 })).toBe(15);
  });

  it('covers the store steps a row holds its slot for, besides its call', () => {
    // 10,000 requests/min, 1 s calls and 0.7 s of store steps: 166.7/s × 1.7 s × 1.5.
    expect(autoWindow({ requestsPerMs: perMs(10_000), latencyMs: 1000, stepsMs: 700, cap: 1000 })).toBe(Math.ceil((10_000 / 60_000) * 1700 * 1.5));
    expect(autoWindow({ requestsPerMs: perMs(10_000), latencyMs: 1000, stepsMs: 700, cap: 400 })).toBe(400);
  });

  it('never goes below one row', () => {
    expect(autoWindow({ requestsPerMs: perMs(1), latencyMs: 100, cap: 500 })).toBe(1);
  });
});

describe('CallStats', () => {
  it('keeps a running mean of the store steps per model, apart from the calls', () => {
    const s = new CallStats();
    expect(s.stepsMs('m')).toBeUndefined();
    s.observeSteps('m', 400);
    s.observeSteps('m', 1400);
    expect(s.stepsMs('m')).toBe(500);
    expect(s.latencyMs('m')).toBeUndefined();
  });

  it('starts at the first observation and then moves a tenth of the way to each new one', () => {
    const s = new CallStats();
    expect(s.latencyMs('m')).toBeUndefined();
    s.observe('m', 1000, 500);
    expect(s.latencyMs('m')).toBe(1000);
    s.observe('m', 2000, 1500);
    expect(s.latencyMs('m')).toBe(1100);
    expect(s.tokensPerCall('m')).toBe(600);
    expect(s.latencyMs('other')).toBeUndefined();
  });
});
