// The engine over any Store + Queue pair: what every adapter combination must give a user, whatever it is built on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiModelClient } from '../../backend/src/adapters/openai/openai-model-client.js';
import { systemClock } from '../../backend/src/adapters/system-clock/system-clock.js';
import { Engine } from '../../backend/src/engine/engine.js';
import type { Queue } from '../../backend/src/ports/queue.js';
import type { Store } from '../../backend/src/ports/store.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../local/openai/server.js';
import { brandRows, jobConfig, testTarget } from '../helpers/embedded-harness.js';

export interface EngineAdapters {
  readonly store: Store;
  readonly queue: Queue;
  cleanup(): Promise<void>;
}

export function describeEngineContract(name: string, factory: () => Promise<EngineAdapters>): void {
  describe(`Engine over ${name}`, () => {
    let adapters: EngineAdapters;
    let standIn: OpenAiStandIn;
    let engine: Engine;

    beforeEach(async () => {
      adapters = await factory();
      standIn = await startOpenAiStandIn({ latencyMs: 20 });
      const model = new OpenAiModelClient({ apiKey: 'sk-contract', baseURL: standIn.url, simulated: true });
      engine = new Engine({ store: adapters.store, queue: adapters.queue, model, clock: systemClock }, { pumpIntervalMs: 100, backoff: { baseMs: 50, capMs: 500 } });
    });

    afterEach(async () => {
      await adapters.queue.stop();
      await adapters.cleanup();
      await standIn.close();
    });

    const billed = () => standIn.requestLog.filter((e) => e.billed).length;

    it('makes one model call and one charge for a row task delivered three times at once', async () => {
      const job = await engine.startJob({ owner: 'c', target: testTarget('contract:dup'), config: jobConfig({ workers: 6 }), rows: brandRows(6) });
      const rows = (await adapters.store.listRows({ jobId: job.id, limit: 100 })).filter((r) => r.dispatched);
      expect(rows).toHaveLength(6);
      await Promise.all(
        rows.flatMap((r) => [1, 2, 3].map((n) => engine.handleTask({ name: `dup-${r.rowId}`, kind: 'row', payload: { jobId: job.id, rowId: r.rowId, dispatchSeq: r.dispatchSeq }, deliveryAttempt: n }))),
      );
      const after = await adapters.store.listRows({ jobId: job.id, limit: 100 });
      expect(after.every((r) => r.status === 'done')).toBe(true);
      expect(billed()).toBe(6);
      const { counts } = await engine.status(job.id);
      expect(counts.spentUsd).toBeCloseTo(after.reduce((s, r) => s + r.costUsd, 0), 9);
    });

    it('runs a job to the end through the queue, each row billed once, spend within budget', async () => {
      adapters.queue.start(engine.handleTask);
      const job = await engine.startJob({ owner: 'c', target: testTarget('contract:run'), config: jobConfig({ workers: 10, budgetUsd: 1 }), rows: brandRows(120) });
      const deadline = Date.now() + 60_000;
      let status = await engine.status(job.id);
      while (status.job.status === 'running' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        status = await engine.status(job.id);
      }
      expect(status.job.status).toBe('completed');
      expect(status.counts.done).toBe(120);
      expect(billed()).toBe(120);
      expect(status.counts.spentUsd).toBeLessThanOrEqual(1);
      expect(status.counts.reservedUsd).toBe(0);
    });

    /** 5 distinct inputs, each on 20 consecutive rows. */
    const repeatedRows = () =>
      Array.from({ length: 100 }, (_, i) => ({ rowId: `r${i}`, rowNumber: i + 2, inputs: { Brand: `Brand ${Math.floor(i / 20)}`, Country: 'Japan' } }));

    async function runToEnd(jobId: string) {
      const deadline = Date.now() + 60_000;
      let status = await engine.status(jobId);
      while (status.job.status === 'running' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        status = await engine.status(jobId);
      }
      return status;
    }

    it.each([false, true])('buys identical rows in flight once (force %s): one call per distinct input, the rest done (cached)', async (force) => {
      adapters.queue.start(engine.handleTask);
      const job = await engine.startJob({ owner: 'c', target: testTarget(`contract:same:${force}`), config: jobConfig({ workers: 50, budgetUsd: 1, force }), rows: repeatedRows() });
      const status = await runToEnd(job.id);
      expect(status.job.status).toBe('completed');
      expect(billed()).toBe(5);
      expect(status.counts).toMatchObject({ done: 100, cached: 95, failed: 0 });
      const rows = await adapters.store.listRows({ jobId: job.id, limit: 200 });
      expect(rows.filter((r) => r.cached).every((r) => r.costUsd === 0 && r.attempt === 1)).toBe(true);
      expect(status.counts.spentUsd).toBeCloseTo(rows.reduce((s, r) => s + r.costUsd, 0), 9);
    });

    it('never lets spend plus reservations pass the budget with many rows racing for it', async () => {
      adapters.queue.start(engine.handleTask);
      const job = await engine.startJob({ owner: 'c', target: testTarget('contract:budget'), config: jobConfig({ workers: 50, budgetUsd: 0.02 }), rows: brandRows(300) });
      const deadline = Date.now() + 60_000;
      let status = await engine.status(job.id);
      while (!(status.job.status === 'paused' && status.counts.running === 0) && status.job.status !== 'completed' && Date.now() < deadline) {
        expect(status.counts.spentUsd + status.counts.reservedUsd).toBeLessThanOrEqual(0.02 + 1e-12);
        await new Promise((r) => setTimeout(r, 20));
        status = await engine.status(job.id);
      }
      expect(status.job.pauseReason).toBe('budget');
      expect(status.counts.spentUsd).toBeLessThanOrEqual(0.02);
      expect(billed()).toBe(status.counts.done);
    });
  });
}
