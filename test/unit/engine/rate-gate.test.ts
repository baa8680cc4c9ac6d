import { describe, expect, it } from 'vitest';
import { RateGate, type GateAnswer } from '../../../backend/src/engine/rate-gate.js';
import { RateLimiter } from '../../../backend/src/engine/rate-limiter.js';

/** Time moved by hand, with timers that fire only when the test says (late, if it wishes: a busy event loop). */
class HandTimers {
  now = 0;
  private timers: Array<{ at: number; fn: () => void }> = [];
  readonly clock = { now: () => this.now, sleep: () => Promise.resolve() };
  readonly setTimer = (ms: number, fn: () => void): (() => void) => {
    const t = { at: this.now + ms, fn };
    this.timers.push(t);
    return () => {
      this.timers = this.timers.filter((x) => x !== t);
    };
  };
  get pending(): number {
    return this.timers.length;
  }
  /** Move to `at` and only then fire every due timer: a timer due earlier fires late. */
  async runUntil(at: number): Promise<void> {
    this.now = at;
    for (let due = this.timers.filter((t) => t.at <= at); due.length > 0; due = this.timers.filter((t) => t.at <= at)) {
      this.timers = this.timers.filter((t) => !due.includes(t));
      for (const t of due) t.fn();
      await new Promise((r) => setImmediate(r));
    }
  }
}

function setup(rpm = 6000) {
  const timers = new HandTimers();
  const limiter = new RateLimiter({ headroom: 1, startSlack: 0.5 });
  limiter.configure('m', { rpm }, 0); // 6,000/min: 100 a second, a burst of 50
  const gate = new RateGate(limiter, timers.clock, timers.setTimer);
  return { timers, limiter, gate };
}

describe('RateGate', () => {
  it('lets calls go at once while the limiter has room, then in arrival order as it refills, on one timer', async () => {
    const { timers, gate } = setup();
    const gone: number[] = [];
    const answers: Array<Promise<GateAnswer>> = [];
    for (let i = 0; i < 60; i++) answers.push(gate.wait('m', 1, 5000).then((a) => (gone.push(i), a)));
    await new Promise((r) => setImmediate(r));
    expect(gone).toHaveLength(50);
    expect(gate.waiting('m')).toBe(10);
    expect(timers.pending).toBe(1);
    for (let t = 10; t <= 100; t += 10) await timers.runUntil(t);
    expect(gone).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect((await Promise.all(answers)).every((a) => a.ok)).toBe(true);
  });

  it('after a timer fired late, does not send the calls due meanwhile in a bunch: the hold-up\'s refill is forfeited', async () => {
    const { timers, gate } = setup();
    let gone = 0;
    for (let i = 0; i < 250; i++) void gate.wait('m', 1, 5000).then(() => gone++);
    await new Promise((r) => setImmediate(r));
    expect(gone).toBe(50);
    // The process was held up for a second and a half: 150 calls were due, and calls sent just before the hold-up go
    // out now too, so only the next one leaves at once.
    await timers.runUntil(1500);
    expect(gone).toBe(51);
    // Then the line goes on at the limiter's rate, 100 a second.
    for (let t = 1510; t <= 2000; t += 10) await timers.runUntil(t);
    expect(gone).toBe(101);
  });

  it('refuses a place further than the longest wait, saying when to come back', async () => {
    const { gate } = setup(600); // 10 a second, burst 5
    for (let i = 0; i < 5; i++) expect(await gate.wait('m', 1, 1000)).toEqual({ ok: true });
    for (let i = 0; i < 10; i++) void gate.wait('m', 1, 1000);
    // The 11th in line is expected 1.1 s away, past the longest wait: back half a wait (0.5 s) before its turn.
    expect(await gate.wait('m', 1, 1000)).toEqual({ ok: false, retryAfterMs: 600 });
    expect(gate.waiting('m')).toBe(10);
  });

  it('lets out a waiter whose deadline passes behind a Retry-After', async () => {
    const { timers, limiter, gate } = setup(600);
    for (let i = 0; i < 5; i++) await gate.wait('m', 1, 1000);
    const waiting = gate.wait('m', 1, 1000);
    limiter.backOff('m', 10_000, 0);
    await timers.runUntil(100);
    expect(await waiting).toEqual({ ok: false, retryAfterMs: 9900 });
  });
});
