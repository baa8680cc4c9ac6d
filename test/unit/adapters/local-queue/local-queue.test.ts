// Unit tests for LocalQueue's rules on a hand-moved clock: backoff, drops, deadlines, recovery, slow-down, lifecycle.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalQueue, type LocalQueueOptions } from '../../../../backend/src/adapters/local-queue/index.js';
import { openDatabase, type SqliteDatabase } from '../../../../backend/src/adapters/sqlite/database.js';
import type { DeliveredTask, TaskHandler, TaskOutcome, TaskSpec } from '../../../../backend/src/ports/queue.js';
import { FakeClock, turns } from './fake-clock.js';

const task = (name: string): TaskSpec => ({ name, kind: 'row', payload: { jobId: 'j', rowId: name } });
const ok: TaskOutcome = { status: 'ok' };

describe('LocalQueue', () => {
  let db: SqliteDatabase;
  let clock: FakeClock;
  let queues: LocalQueue[];
  let seen: DeliveredTask[];

  const open = (options: Partial<LocalQueueOptions> = {}): LocalQueue => {
    const queue = new LocalQueue({ db, clock, random: () => 0, pollIntervalMs: 60_000, ...options });
    queues.push(queue);
    return queue;
  };
  const recording =
    (answer: (task: DeliveredTask) => TaskOutcome | Promise<TaskOutcome>): TaskHandler =>
    (delivered) => {
      seen.push(delivered);
      return Promise.resolve(answer(delivered));
    };
  const attemptsOf = (name: string): number[] => seen.filter((t) => t.name === name).map((t) => t.deliveryAttempt);

  beforeEach(() => {
    db = openDatabase({ path: ':memory:' });
    clock = new FakeClock();
    queues = [];
    seen = [];
  });
  afterEach(() => {
    for (const queue of queues) queue.halt();
    db.close();
  });

  it('wakes at once when a due task is enqueued, without waiting for the poll interval', async () => {
    const queue = open();
    queue.start(recording(() => ok));
    await turns();
    await queue.enqueue([task('a')]);
    await turns();
    expect(attemptsOf('a')).toEqual([1]);
  });

  it('retries on the Cloud Tasks backoff schedule when the handler gives no delay', async () => {
    const queue = open({ minBackoffMs: 100, maxBackoffMs: 10_000, maxDoublings: 16 });
    await queue.enqueue([task('a')]);
    queue.start(recording(() => ({ status: 'retry' })));
    await turns();
    expect(attemptsOf('a')).toEqual([1]);
    await clock.advance(99);
    expect(attemptsOf('a')).toEqual([1]);
    await clock.advance(1);
    expect(attemptsOf('a')).toEqual([1, 2]);
    await clock.advance(199);
    expect(attemptsOf('a')).toEqual([1, 2]);
    await clock.advance(1);
    expect(attemptsOf('a')).toEqual([1, 2, 3]);
  });

  it('waits for a Retry-After longer than the backoff', async () => {
    const queue = open({ minBackoffMs: 100 });
    await queue.enqueue([task('a')]);
    queue.start(recording((t) => (t.deliveryAttempt === 1 ? { status: 'retry', retryAfterMs: 5000 } : ok)));
    await turns();
    await clock.advance(4999);
    expect(attemptsOf('a')).toEqual([1]);
    await clock.advance(1);
    expect(attemptsOf('a')).toEqual([1, 2]);
  });

  it('drops a task after maxAttempts, reports it with the last reason, and keeps its name deduplicated', async () => {
    const dropped: [string, number, string | undefined][] = [];
    const queue = open({ maxAttempts: 2, minBackoffMs: 10, onDropped: (t, reason) => dropped.push([t.name, t.deliveryAttempt, reason]) });
    await queue.enqueue([task('doomed')]);
    queue.start(recording(() => ({ status: 'retry', reason: 'server' })));
    await turns();
    await clock.advance(10);
    await clock.advance(10_000);

    expect(attemptsOf('doomed')).toEqual([1, 2]);
    expect(dropped).toEqual([['doomed', 2, 'server']]);
    expect(queue.stats()).toMatchObject({ pending: 0, delivered: 2, retried: 1, dropped: 1 });
    expect(await queue.enqueue([task('doomed')])).toEqual({ enqueued: 0, existing: 1 });
  });

  it('frees a completed name for reuse once its tombstone expires', async () => {
    const queue = open({ tombstoneMs: 1000 });
    await queue.enqueue([task('a')]);
    queue.start(recording(() => ok));
    await turns();
    await clock.advance(999);
    expect(await queue.enqueue([task('a')])).toEqual({ enqueued: 0, existing: 1 });
    await clock.advance(1);
    expect(await queue.enqueue([task('a')])).toEqual({ enqueued: 1, existing: 0 });
    await turns();
    expect(attemptsOf('a')).toEqual([1, 1]);
  });

  it('retries a task whose handler throws, logging the error class but not its message', async () => {
    const warnings: Record<string, unknown>[] = [];
    const queue = open({ minBackoffMs: 10, logger: { warn: (fields) => warnings.push(fields) } });
    await queue.enqueue([task('a')]);
    queue.start((t) => {
      seen.push(t);
      if (t.deliveryAttempt === 1) throw new TypeError('sk-secret-key in a message');
      return Promise.resolve(ok);
    });
    await turns();
    await clock.advance(10);

    expect(attemptsOf('a')).toEqual([1, 2]);
    expect(warnings).toEqual([{ task: 'a', kind: 'row', deliveryAttempt: 1, error: 'TypeError' }]);
    expect(JSON.stringify(warnings)).not.toContain('secret');
  });

  it('counts an answer that is neither ok nor retry as a failed attempt', async () => {
    const queue = open({ minBackoffMs: 10 });
    await queue.enqueue([task('a')]);
    queue.start(recording((t) => (t.deliveryAttempt === 1 ? (undefined as unknown as TaskOutcome) : ok)));
    await turns();
    await clock.advance(10);
    expect(attemptsOf('a')).toEqual([1, 2]);
  });

  it('delivers again a task whose delivery outlived the dispatch deadline, and ignores the late outcome', async () => {
    let releaseFirst!: (outcome: TaskOutcome) => void;
    const queue = open({ dispatchDeadlineMs: 1000, minBackoffMs: 10 });
    await queue.enqueue([task('slow')]);
    queue.start((t) => {
      seen.push(t);
      if (t.deliveryAttempt === 1) return new Promise((resolve) => (releaseFirst = resolve));
      return Promise.resolve(ok);
    });
    await turns();
    await clock.advance(999);
    expect(attemptsOf('slow')).toEqual([1]);
    await clock.advance(1);
    expect(attemptsOf('slow')).toEqual([1, 2]);

    releaseFirst({ status: 'retry' });
    await turns();
    await clock.advance(60_000);
    expect(attemptsOf('slow')).toEqual([1, 2]);
    expect(queue.stats().retried).toBe(0);
  });

  it('frees the concurrency slot of a handler that outlives its dispatch deadline', async () => {
    const warnings: Record<string, unknown>[] = [];
    const queue = open({ maxConcurrentDispatches: 1, dispatchDeadlineMs: 1000, logger: { warn: (fields) => warnings.push(fields) } });
    await queue.enqueue([task('hangs'), task('next')]);
    queue.start(recording((t) => (t.name === 'hangs' ? new Promise<TaskOutcome>(() => undefined) : ok)));
    await turns();
    expect(seen.map((t) => t.name)).toEqual(['hangs']);
    await clock.advance(1000);

    // 'next' was due before the lost delivery's deadline, so it goes first; the lost task comes back after it.
    expect(seen.map((t) => [t.name, t.deliveryAttempt])).toEqual([
      ['hangs', 1],
      ['next', 1],
      ['hangs', 2],
    ]);
    expect(warnings).toContainEqual({ task: 'hangs', kind: 'row', deliveryAttempt: 1 });
  });

  it('lets stop() resolve once a hung handler passes its dispatch deadline, leaving its task for redelivery', async () => {
    const queue = open({ dispatchDeadlineMs: 1000 });
    await queue.enqueue([task('hangs')]);
    queue.start(() => new Promise<TaskOutcome>(() => undefined));
    await turns();
    let stopped = false;
    const stopping = queue.stop().then(() => (stopped = true));
    await clock.advance(999);
    expect(stopped).toBe(false);
    await clock.advance(1);
    await stopping;

    const next = open();
    next.start(recording(() => ok));
    await turns();
    expect(attemptsOf('hangs')).toEqual([2]);
  });

  it('leaves unacknowledged tasks of a crashed queue until their deadline, unless told to recover them', async () => {
    const crashed = open({ dispatchDeadlineMs: 600_000 });
    await crashed.enqueue([task('a'), task('b')]);
    crashed.start(() => new Promise<TaskOutcome>(() => undefined));
    await turns();
    crashed.halt();

    const cautious = open();
    cautious.start(recording(() => ok));
    await clock.advance(1000);
    expect(seen).toEqual([]);
    await cautious.stop();

    const recovering = open({ recoverInFlight: true });
    recovering.start(recording(() => ok));
    await turns();
    expect(seen.map((t) => [t.name, t.deliveryAttempt])).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
  });

  it('forgets outcomes that settle after halt(), as a crash would', async () => {
    let release!: (outcome: TaskOutcome) => void;
    const crashed = open();
    await crashed.enqueue([task('a')]);
    crashed.start(() => new Promise((resolve) => (release = resolve)));
    await turns();
    crashed.halt();
    release(ok);
    await turns();

    const next = open({ recoverInFlight: true });
    next.start(recording(() => ok));
    await turns();
    expect(attemptsOf('a')).toEqual([2]);
  });

  it('halves its reported dispatch rate on a slow-down answer and recovers it over time', async () => {
    const queue = open({ maxDispatchesPerSecond: 100, minBackoffMs: 10 });
    await queue.enqueue([task('a')]);
    queue.start(recording((t) => (t.deliveryAttempt === 1 ? { status: 'retry', slowDown: true } : ok)));
    await turns();
    expect(queue.stats().currentRatePerSecond).toBe(50);
    await clock.advance(5000);
    expect(queue.stats().currentRatePerSecond).toBe(100);
  });

  it('does not slow down on a plain retry', async () => {
    const queue = open({ maxDispatchesPerSecond: 100 });
    await queue.enqueue([task('a')]);
    queue.start(recording(() => ({ status: 'retry', retryAfterMs: 60_000 })));
    await turns();
    expect(queue.stats().currentRatePerSecond).toBe(100);
  });

  it('spreads a backlog over time at the configured rate', async () => {
    const queue = open({ maxDispatchesPerSecond: 100 });
    await queue.enqueue(Array.from({ length: 100 }, (_, i) => task(`t${i}`)));
    queue.start(recording(() => ok));
    await turns();
    // The burst: a tenth of a second's worth.
    expect(seen).toHaveLength(10);
    for (let i = 0; i < 10; i += 1) await clock.advance(100);
    expect(seen).toHaveLength(100);
  });

  it('reports pending, running and delivered counts', async () => {
    const queue = open({ maxConcurrentDispatches: 2 });
    await queue.enqueue([task('a'), task('b'), task('c')]);
    expect(queue.stats()).toMatchObject({ pending: 3, running: 0, delivered: 0 });
    queue.start(() => new Promise<TaskOutcome>(() => undefined));
    await turns();
    expect(queue.stats()).toMatchObject({ pending: 1, running: 2, delivered: 2, retried: 0, dropped: 0, currentRatePerSecond: 500 });
  });

  it('refuses a second start() until stop() has resolved, then starts again', async () => {
    const queue = open();
    queue.start(recording(() => ok));
    expect(() => queue.start(recording(() => ok))).toThrow('LocalQueue is already started; await stop() before starting it again');
    await queue.stop();
    queue.start(recording(() => ok));
    await queue.enqueue([task('a')]);
    await turns();
    expect(attemptsOf('a')).toEqual([1]);
  });

  it('records the outcomes of in-flight handlers before stop() resolves', async () => {
    let release!: (outcome: TaskOutcome) => void;
    const queue = open();
    await queue.enqueue([task('a')]);
    queue.start(() => new Promise((resolve) => (release = resolve)));
    await turns();
    const stopping = queue.stop();
    release(ok);
    await stopping;

    const next = open({ recoverInFlight: true });
    next.start(recording(() => ok));
    await turns();
    expect(seen).toEqual([]);
    expect(await next.enqueue([task('a')])).toEqual({ enqueued: 0, existing: 1 });
  });

  it('rejects an invalid task without writing any of the batch', async () => {
    const queue = open();
    await expect(queue.enqueue([task('good'), { ...task('bad'), scheduleAt: Number.NaN }])).rejects.toThrow(
      'Expected `tasks[1].scheduleAt` to be a finite epoch-ms number, got `NaN`',
    );
    await expect(queue.enqueue([{ ...task('x'), name: '' }])).rejects.toThrow('Expected `tasks[0].name` to be a non-empty string');
    expect(queue.stats().pending).toBe(0);
  });
});
