import { describe, expect, it } from 'vitest';
import { EngineContext } from '../../../backend/src/engine/context.js';
import { resolveEngineOptions } from '../../../backend/src/engine/options.js';
import type { Clock } from '../../../backend/src/ports/clock.js';
import type { Job } from '../../../backend/src/ports/domain.js';
import type { DispatchRequest, Store } from '../../../backend/src/ports/store.js';
import type { Queue } from '../../../backend/src/ports/queue.js';
import type { ModelClient } from '../../../backend/src/ports/model.js';

/** A clock moved by hand: the window sizing reads only `now`. */
class HandClock implements Clock {
  at = 1_700_000_000_000;
  now(): number {
    return this.at;
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
}

/** A store that records the window (and the number of rows) each top-up asks for, and dispatches nothing. */
function recordingStore(asked: number[], limits: number[] = []): Store {
  return {
    dispatchRows: (request: DispatchRequest) => {
      asked.push(request.maxInFlight);
      limits.push(request.limit);
      return Promise.resolve([]);
    },
  } as unknown as Store;
}

function setup(limits: { maxInFlight?: number } = {}) {
  const asked: number[] = [];
  const rowsAsked: number[] = [];
  const clock = new HandClock();
  const ctx = new EngineContext(
    { store: recordingStore(asked, rowsAsked), queue: {} as Queue, model: {} as ModelClient, clock, random: () => 0.5, log: { debug() {}, info() {}, warn() {}, error() {} } },
    resolveEngineOptions({ limits }),
  );
  const job = (workers: number | 'auto', id = 'j1') => ({ id, config: { model: 'm', workers } }) as unknown as Job;
  const lastAsked = async (j: Job) => {
    await ctx.topUp(j);
    return asked.at(-1);
  };
  return { ctx, clock, job, lastAsked, rowsAsked };
}

describe('EngineContext.topUp: the window a job asks the store for', () => {
  it('is the workers of a numeric job, whatever the limits', async () => {
    const { ctx, clock, job, lastAsked } = setup();
    ctx.limiter.configure('m', { rpm: 100_000 }, clock.now());
    expect(await lastAsked(job(12))).toBe(12);
  });

  it('for an auto job: 50 until a limit is known, then rate × latency, then the server cap', async () => {
    const { ctx, clock, job, lastAsked } = setup({ maxInFlight: 400 });
    const auto = job('auto');
    expect(await lastAsked(auto)).toBe(50);
    // The first answer brings the provider's limit (10,000 requests/min) and a latency of 1 s.
    ctx.limiter.observe('m', { limitRequests: 10_000 }, clock.now());
    clock.at += 1000;
    ctx.onCallAnswered(auto, 1000, 800);
    expect(await lastAsked(auto)).toBe(Math.ceil(((10_000 * 0.99) / 60_000) * 1000 * 1.5));
    // Slower answers need more rows in flight to keep the same rate, up to the cap.
    for (let i = 0; i < 40; i++) ctx.onCallAnswered(auto, 3000, 800);
    expect(await lastAsked(auto)).toBe(400);
  });

  it('asks for the whole window at a start or a pump, and for one row plus what the window grew by when a row finished', async () => {
    const { ctx, clock, job, rowsAsked } = setup({ maxInFlight: 500 });
    const auto = job('auto');
    await ctx.topUp(auto);
    expect(rowsAsked.at(-1)).toBe(50);
    await ctx.topUp(auto, 1);
    expect(rowsAsked.at(-1)).toBe(1);
    // The provider's limit is learnt: the window grows from 50 to 248, and the next finished row passes the growth on.
    ctx.limiter.observe('m', { limitRequests: 10_000 }, clock.now());
    ctx.onCallAnswered(auto, 1000, 800);
    await ctx.topUp(auto, 1);
    expect(rowsAsked.at(-1)).toBe(1 + 248 - 50);
    await ctx.topUp(auto, 1);
    expect(rowsAsked.at(-1)).toBe(1);
    await ctx.topUp(auto);
    expect(rowsAsked.at(-1)).toBe(248);
  });

  it('halves an auto window on a burst of 429s and keeps it below the ceiling until successes grow it back', async () => {
    const { ctx, clock, job, lastAsked } = setup();
    const auto = job('auto');
    ctx.limiter.configure('m', { rpm: 6000 }, clock.now());
    ctx.onCallAnswered(auto, 2000, 500);
    const full = await lastAsked(auto);
    expect(full).toBe(Math.ceil(((6000 * 0.99) / 60_000) * 2000 * 1.5));
    ctx.onCallRateLimited(auto, clock.now());
    ctx.onCallRateLimited(auto, clock.now() + 1500); // same burst: within one latency (2 s) of the cut
    expect(await lastAsked(auto)).toBe(Math.floor(full! / 2));
    for (let i = 0; i < 10_000; i++) ctx.onCallAnswered(auto, 2000, 500);
    expect(await lastAsked(auto)).toBe(full);
  });

  it('never asks an auto job for more than the default cap of 500', async () => {
    const { ctx, clock, job, lastAsked } = setup();
    ctx.limiter.configure('m', { rpm: 1_000_000 }, clock.now());
    expect(await lastAsked(job('auto'))).toBe(500);
  });
});
