import { describe, expect, it } from 'vitest';
import { AimdWindow } from '../../../backend/src/engine/aimd.js';

describe('AimdWindow', () => {
  it('starts at workers and halves on a 429', () => {
    const w = new AimdWindow(40);
    expect(w.size).toBe(40);
    w.onRateLimited(0);
    expect(w.size).toBe(20);
  });

  it('halves once per burst of 429s, not once per 429', () => {
    const w = new AimdWindow(40, 1000);
    w.onRateLimited(0);
    w.onRateLimited(10);
    w.onRateLimited(500);
    expect(w.size).toBe(20);
    w.onRateLimited(1500);
    expect(w.size).toBe(10);
  });

  it('grows back additively and never above workers', () => {
    const w = new AimdWindow(8);
    w.onRateLimited(0);
    for (let i = 0; i < 5; i++) w.onSuccess(); // 4 → 5 takes about one window (4 rows) of successes
    expect(w.size).toBe(5);
    for (let i = 0; i < 1000; i++) w.onSuccess();
    expect(w.size).toBe(8);
  });

  it('never drops below one', () => {
    const w = new AimdWindow(2);
    for (let t = 0; t < 10_000; t += 2000) w.onRateLimited(t);
    expect(w.size).toBe(1);
  });
});
