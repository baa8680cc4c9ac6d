// The Queue contract every adapter passes: delivery, dedup, scheduling, retry, slow-down, limits, crash recovery, stop.
import { afterEach, describe, expect, it } from 'vitest';
import type { Queue, TaskOutcome } from '../../backend/src/ports/queue.js';
import { DeliveryLog, rowTask, rowTasks } from './queue-helpers/delivery-log.js';
import { deferred, pause, waitFor } from './queue-helpers/wait-for.js';

/** Queue settings a test needs; each adapter maps them onto its own configuration (options, or the cloud queue's config). */
export interface QueueContractSettings {
  readonly maxDispatchesPerSecond: number;
  readonly maxConcurrentDispatches: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
}

export interface QueueContractHarness {
  readonly queue: Queue;
  /**
   * Simulates a crash of the process that owns `queue`: no outcome of its in-flight deliveries may be recorded after
   * this call. Returns a new queue on the same durable data that delivers every unacknowledged task again within a
   * few seconds (an adapter may shorten its dispatch deadline or reclaim in-flight tasks to make that so).
   * Without it, the crash cases are skipped.
   */
  restart?(): Promise<Queue>;
  /** Releases everything, including queues whose handlers never settled. */
  cleanup(): Promise<void>;
}

export type QueueContractFactory = (settings: QueueContractSettings) => Promise<QueueContractHarness>;

const DEFAULT_SETTINGS: QueueContractSettings = {
  maxDispatchesPerSecond: 1000,
  maxConcurrentDispatches: 100,
  minBackoffMs: 10,
  maxBackoffMs: 1000,
};

const ok: TaskOutcome = { status: 'ok' };

export function describeQueueContract(name: string, factory: QueueContractFactory): void {
  describe(`Queue contract: ${name}`, () => {
    const harnesses: QueueContractHarness[] = [];

    async function open(overrides: Partial<QueueContractSettings> = {}): Promise<QueueContractHarness> {
      const harness = await factory({ ...DEFAULT_SETTINGS, ...overrides });
      harnesses.push(harness);
      return harness;
    }

    function restart(harness: QueueContractHarness): Promise<Queue> {
      return harness.restart!();
    }

    afterEach(async () => {
      // Queues whose handlers are still parked are the harness's to release: stop() would wait for them forever.
      await Promise.all(harnesses.splice(0).map((h) => h.cleanup()));
    });

    it('delivers every task exactly once when the handler answers ok', async () => {
      const { queue } = await open();
      const log = new DeliveryLog();
      const tasks = rowTasks('once', 200);
      expect(await queue.enqueue(tasks)).toEqual({ enqueued: 200, existing: 0 });
      queue.start((task) => {
        log.record(task);
        return Promise.resolve(ok);
      });
      await waitFor(() => log.deliveries.length >= 200, { what: '200 deliveries' });
      await pause(200);
      await queue.stop();

      expect(log.deliveries).toHaveLength(200);
      expect(log.names()).toEqual(new Set(tasks.map((t) => t.name)));
      expect(log.deliveries.every((d) => d.deliveryAttempt === 1)).toBe(true);
    });

    it('passes the kind and payload through unchanged', async () => {
      const { queue } = await open();
      const seen: unknown[] = [];
      await queue.enqueue([{ name: 'pump-slot-7', kind: 'pump', payload: { jobId: 'job-9', dispatchSeq: 3 } }]);
      queue.start((task) => {
        seen.push({ name: task.name, kind: task.kind, payload: task.payload });
        return Promise.resolve(ok);
      });
      await waitFor(() => seen.length === 1, { what: 'the delivery' });
      await queue.stop();

      expect(seen).toEqual([{ name: 'pump-slot-7', kind: 'pump', payload: { jobId: 'job-9', dispatchSeq: 3 } }]);
    });

    it('counts a name enqueued twice as existing and delivers it once', async () => {
      const { queue } = await open();
      const log = new DeliveryLog();
      expect(await queue.enqueue([rowTask('dup'), rowTask('dup'), rowTask('other')])).toEqual({ enqueued: 2, existing: 1 });
      expect(await queue.enqueue([rowTask('dup')])).toEqual({ enqueued: 0, existing: 1 });
      queue.start((task) => {
        log.record(task);
        return Promise.resolve(ok);
      });
      await waitFor(() => log.deliveries.length >= 2, { what: 'both names delivered' });
      await pause(200);
      await queue.stop();

      expect(log.of('dup')).toHaveLength(1);
      expect(log.of('other')).toHaveLength(1);
    });

    it('keeps deduplicating a name shortly after its task completed', async () => {
      const { queue } = await open();
      const log = new DeliveryLog();
      await queue.enqueue([rowTask('done-once')]);
      queue.start((task) => {
        log.record(task);
        return Promise.resolve(ok);
      });
      await waitFor(() => log.of('done-once').length === 1, { what: 'the first delivery' });

      expect(await queue.enqueue([rowTask('done-once')])).toEqual({ enqueued: 0, existing: 1 });
      // A later task that has been delivered proves the queue kept working while we looked.
      await queue.enqueue([rowTask('marker')]);
      await waitFor(() => log.of('marker').length === 1, { what: 'the marker task' });
      expect(await queue.enqueue([rowTask('done-once')])).toEqual({ enqueued: 0, existing: 1 });
      await pause(200);
      await queue.stop();

      expect(log.of('done-once')).toHaveLength(1);
    });

    it('does not deliver a task before its scheduleAt', async () => {
      const { queue } = await open();
      const log = new DeliveryLog();
      const scheduleAt = Date.now() + 500;
      await queue.enqueue([rowTask('later', scheduleAt), rowTask('now')]);
      queue.start((task) => {
        log.record(task);
        return Promise.resolve(ok);
      });
      await waitFor(() => log.deliveries.length === 2, { what: 'both tasks' });
      await queue.stop();

      expect(log.deliveries.map((d) => d.name)).toEqual(['now', 'later']);
      expect(log.of('later')[0]!.at).toBeGreaterThanOrEqual(scheduleAt);
    });

    it('delivers due tasks earliest schedule first', async () => {
      const { queue } = await open({ maxConcurrentDispatches: 1 });
      const log = new DeliveryLog();
      const base = Date.now() - 1000;
      await queue.enqueue([rowTask('third', base + 30), rowTask('first', base + 10), rowTask('second', base + 20)]);
      queue.start((task) => {
        log.record(task);
        return Promise.resolve(ok);
      });
      await waitFor(() => log.deliveries.length === 3, { what: 'three deliveries' });
      await queue.stop();

      expect(log.deliveries.map((d) => d.name)).toEqual(['first', 'second', 'third']);
    });

    it('redelivers a retried task no earlier than retryAfterMs, with deliveryAttempt incremented', async () => {
      const { queue } = await open();
      const log = new DeliveryLog();
      let answeredRetryAt = 0;
      await queue.enqueue([rowTask('flaky')]);
      queue.start((task) => {
        log.record(task);
        if (task.deliveryAttempt === 1) {
          answeredRetryAt = Date.now();
          return Promise.resolve({ status: 'retry', retryAfterMs: 300, reason: 'rate_limit' });
        }
        return Promise.resolve(ok);
      });
      await waitFor(() => log.deliveries.length === 2, { what: 'the redelivery' });
      await pause(200);
      await queue.stop();

      expect(log.of('flaky').map((d) => d.deliveryAttempt)).toEqual([1, 2]);
      expect(log.of('flaky')[1]!.at).toBeGreaterThanOrEqual(answeredRetryAt + 300);
    });

    it('treats a handler that throws as a retry', async () => {
      const { queue } = await open();
      const log = new DeliveryLog();
      await queue.enqueue([rowTask('throws-once')]);
      queue.start((task) => {
        log.record(task);
        if (task.deliveryAttempt === 1) return Promise.reject(new Error('boom'));
        return Promise.resolve(ok);
      });
      await waitFor(() => log.deliveries.length === 2, { what: 'the redelivery' });
      await pause(100);
      await queue.stop();

      expect(log.of('throws-once').map((d) => d.deliveryAttempt)).toEqual([1, 2]);
    });

    it('never runs more handlers at once than maxConcurrentDispatches', async () => {
      const { queue } = await open({ maxConcurrentDispatches: 5 });
      let active = 0;
      let maxActive = 0;
      let finished = 0;
      await queue.enqueue(rowTasks('conc', 60));
      queue.start(async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await pause(5);
        active -= 1;
        finished += 1;
        return ok;
      });
      await waitFor(() => finished === 60, { what: 'all 60 tasks' });
      await queue.stop();

      expect(maxActive).toBeLessThanOrEqual(5);
      expect(maxActive).toBeGreaterThan(1);
    });

    it('caps dispatches at maxDispatchesPerSecond over any one-second window', async () => {
      const rate = 50;
      const { queue } = await open({ maxDispatchesPerSecond: rate });
      const log = new DeliveryLog();
      await queue.enqueue(rowTasks('rate', 300));
      queue.start((task) => {
        log.record(task);
        return Promise.resolve(ok);
      });
      await waitFor(() => log.deliveries.length >= 2 * rate + 20, { what: 'two seconds of deliveries' });
      await queue.stop();

      // Without a cap all 300 would go at once; with one, a second holds the rate plus a small burst.
      expect(log.maxInAnyWindow(1000)).toBeLessThanOrEqual(rate * 1.5);
    });

    it('dispatches at a lower rate for a while after a slow-down answer', async () => {
      const rate = 200;
      const { queue } = await open({ maxDispatchesPerSecond: rate });
      const log = new DeliveryLog();
      let slowDownAt = 0;
      await queue.enqueue([rowTask('overloaded', Date.now() - 1000), ...rowTasks('after', 3 * rate)]);
      queue.start((task) => {
        log.record(task);
        if (task.name === 'overloaded' && task.deliveryAttempt === 1) {
          slowDownAt = Date.now();
          return Promise.resolve({ status: 'retry', slowDown: true, retryAfterMs: 60_000 });
        }
        return Promise.resolve(ok);
      });
      await waitFor(() => slowDownAt > 0, { what: 'the slow-down answer' });
      // The second after the answer has settled in, measured once it is over.
      const windowStart = slowDownAt + 200;
      await waitFor(() => Date.now() > windowStart + 1000, { what: 'the window to pass' });
      await queue.stop();

      // At full rate the window would hold about `rate` deliveries (more with a burst); slowed, well under it.
      expect(log.countBetween(windowStart, 1000)).toBeLessThanOrEqual(rate * 0.75);
      expect(log.countBetween(windowStart, 1000)).toBeGreaterThan(0);
    });

    it('stop() resolves only after in-flight handlers have settled', async () => {
      const { queue } = await open();
      const gate = deferred<void>();
      let started = 0;
      let settled = 0;
      await queue.enqueue(rowTasks('inflight', 3));
      queue.start(async () => {
        started += 1;
        await gate.promise;
        settled += 1;
        return ok;
      });
      await waitFor(() => started === 3, { what: 'three handlers in flight' });

      let stopped = false;
      const stopping = queue.stop().then(() => (stopped = true));
      await pause(100);
      expect(stopped).toBe(false);
      gate.resolve();
      await stopping;

      expect(settled).toBe(3);
    });

    it('delivers nothing after stop() has resolved', async () => {
      const { queue } = await open();
      const log = new DeliveryLog();
      queue.start((task) => {
        log.record(task);
        return Promise.resolve(ok);
      });
      await queue.stop();
      expect(await queue.enqueue(rowTasks('after-stop', 5))).toEqual({ enqueued: 5, existing: 0 });
      await pause(300);

      expect(log.deliveries).toHaveLength(0);
    });

    describe('after a crash', () => {
      it('delivers every task that was pending or unacknowledged to the restarted queue', async (ctx) => {
        const harness = await open({ maxConcurrentDispatches: 10 });
        if (!harness.restart) return ctx.skip();
        const tasks = rowTasks('crash', 40);
        await harness.queue.enqueue(tasks);
        const okBeforeCrash = new Set<string>();
        let parked = 0;
        harness.queue.start((task) => {
          if (okBeforeCrash.size < 5) {
            okBeforeCrash.add(task.name);
            return Promise.resolve(ok);
          }
          parked += 1;
          return new Promise<TaskOutcome>(() => undefined);
        });
        await waitFor(() => parked === 10, { what: 'ten handlers parked at the crash' });

        const restarted = await restart(harness);
        const log = new DeliveryLog();
        restarted.start((task) => {
          log.record(task);
          return Promise.resolve(ok);
        });
        const mustRedeliver = tasks.map((t) => t.name).filter((n) => !okBeforeCrash.has(n));
        await waitFor(() => mustRedeliver.every((n) => log.of(n).length > 0), { what: 'every unacknowledged task again' });
        await restarted.stop();

        expect(mustRedeliver).toHaveLength(35);
        expect(new Set([...okBeforeCrash, ...log.names()])).toEqual(new Set(tasks.map((t) => t.name)));
      });

      it('does not deliver again the tasks whose outcome stop() recorded', async (ctx) => {
        const harness = await open();
        if (!harness.restart) return ctx.skip();
        const first = new DeliveryLog();
        await harness.queue.enqueue(rowTasks('acked', 20));
        harness.queue.start((task) => {
          first.record(task);
          return Promise.resolve(ok);
        });
        await waitFor(() => first.deliveries.length === 20, { what: 'twenty deliveries' });
        await harness.queue.stop();

        const restarted = await restart(harness);
        const second = new DeliveryLog();
        restarted.start((task) => {
          second.record(task);
          return Promise.resolve(ok);
        });
        await restarted.enqueue([rowTask('marker')]);
        await waitFor(() => second.of('marker').length === 1, { what: 'the marker task' });
        await pause(200);
        await restarted.stop();

        expect(second.deliveries.map((d) => d.name)).toEqual(['marker']);
      });

      it('keeps deduplicating completed names across the restart', async (ctx) => {
        const harness = await open();
        if (!harness.restart) return ctx.skip();
        let delivered = 0;
        await harness.queue.enqueue([rowTask('survivor')]);
        harness.queue.start(() => {
          delivered += 1;
          return Promise.resolve(ok);
        });
        await waitFor(() => delivered === 1, { what: 'the delivery' });
        await harness.queue.stop();

        const restarted = await restart(harness);
        expect(await restarted.enqueue([rowTask('survivor')])).toEqual({ enqueued: 0, existing: 1 });
      });
    });
  });
}
