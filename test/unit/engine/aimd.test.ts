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

describe('AimdWindow with a moving ceiling (auto jobs)', () => {
  it('follows its ceiling up and down while no 429 held it back', () => {
    const w = new AimdWindow(50);
    w.setCeiling(300);
    expect(w.size).toBe(300);
    w.setCeiling(120);
    expect(w.size).toBe(120);
  });

  it('keeps a window cut by 429s below a raised ceiling, growing back at its own pace', () => {
    const w = new AimdWindow(400);
    w.onRateLimited(0);
    expect(w.size).toBe(200);
    w.setCeiling(500);
    expect(w.size).toBe(200);
    w.setCeiling(100);
    expect(w.size).toBe(100);
  });

  it('grows back by a fiftieth of a large ceiling per window of successes', () => {
    const w = new AimdWindow(500);
    w.onRateLimited(0);
    for (let i = 0; i < 250; i++) w.onSuccess(); // one window's worth at 250: +10 rows
    expect(w.size).toBe(259);
  });

  it('counts 429s within one latency of a cut as the same burst', () => {
    const w = new AimdWindow(400, 1000);
    w.onRateLimited(0, 3000);
    w.onRateLimited(2500, 3000);
    expect(w.size).toBe(200);
    w.onRateLimited(3100, 3000);
    expect(w.size).toBe(100);
  });
});
