import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../../backend/src/adapters/sqlite/sqlite-store.js';
import { composeEngine } from '../../../backend/src/compose/engine.js';
import type { Engine } from '../../../backend/src/engine/engine.js';
import { pumpTask } from '../../../backend/src/engine/task-names.js';
import type { Clock } from '../../../backend/src/ports/clock.js';
import type { ModelClient } from '../../../backend/src/ports/model.js';
import type { Queue, TaskSpec } from '../../../backend/src/ports/queue.js';
import type { Store } from '../../../backend/src/ports/store.js';
import { claimNext, done, startJob, T0 } from '../../contract/helpers/store-fixtures.js';

/** The real SQLite store, with a tally of the calls made through it. */
function countingStore(store: SqliteStore): { store: Store; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const counted = new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(key), (calls.get(String(key)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: counted, calls };
}

/** Keeps what the pump enqueues; nothing is delivered unless a test does it. */
function recordingQueue(): Queue & { readonly tasks: TaskSpec[] } {
  const tasks: TaskSpec[] = [];
  return {
    tasks,
    enqueue(specs) {
      tasks.push(...specs);
      return Promise.resolve({ enqueued: specs.length, existing: 0 });
    },
    start: () => undefined,
    stop: () => Promise.resolve(),
  };
}

const clock: Clock = { now: () => T0 + 1_000, sleep: () => Promise.resolve() };
const noModel: ModelClient = {
  simulated: true,
  validate: () => Promise.reject(new Error('the pump never calls the model')),
  complete: () => Promise.reject(new Error('the pump never calls the model')),
};

let db: SqliteDatabase | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

function setUp(): { engine: Engine; sqlite: SqliteStore; calls: Map<string, number>; queue: ReturnType<typeof recordingQueue> } {
  db = openDatabase({ path: ':memory:' });
  const sqlite = new SqliteStore(db);
  const { store, calls } = countingStore(sqlite);
  const queue = recordingQueue();
  const engine = composeEngine({ store, queue, model: noModel, clock }, { pumpIntervalMs: 1_000 });
  return { engine, sqlite, calls, queue };
}

const tick = (engine: Engine, jobId: string) => {
  const task = pumpTask(jobId, T0, 1_000);
  return engine.handleTask({ name: task.name, kind: task.kind, payload: task.payload, deliveryAttempt: 1 });
};

describe('JobPump', () => {
  it('reads the job once and its counters once in a tick that refills the window', async () => {
    const { engine, sqlite, calls, queue } = setUp();
    const { jobId } = await startJob(sqlite, { rows: 8 });

    expect(await tick(engine, jobId)).toEqual({ status: 'ok' });

    expect(queue.tasks.filter((t) => t.kind === 'row')).toHaveLength(5);
    expect(queue.tasks.filter((t) => t.kind === 'pump')).toHaveLength(1);
    expect({ getJob: calls.get('getJob'), counts: calls.get('counts') }).toEqual({ getJob: 1, counts: 1 });
  });

  it('completes a job whose rows are all finished, reading the job once and its counters once', async () => {
    const { engine, sqlite, calls, queue } = setUp();
    const { jobId } = await startJob(sqlite, { rows: 2 });
    for (let i = 0; i < 2; i++) {
      const claimed = await claimNext(sqlite, jobId);
      await sqlite.finishRow({ jobId, rowId: claimed.row.rowId, leaseToken: claimed.leaseToken, outcome: done(0.01), now: T0 });
    }

    expect(await tick(engine, jobId)).toEqual({ status: 'ok' });

    expect(await sqlite.getJob(jobId)).toMatchObject({ status: 'completed', finishedAt: T0 + 1_000 });
    expect(queue.tasks).toEqual([]);
    expect({ getJob: calls.get('getJob'), counts: calls.get('counts') }).toEqual({ getJob: 1, counts: 1 });
  });

  it('lets a paused job with nothing in flight rest, and keeps pumping one with a row still running', async () => {
    const { engine, sqlite, queue } = setUp();
    const idle = await startJob(sqlite, { rows: 3 });
    await sqlite.transitionJob(idle.jobId, { to: 'paused', from: ['running'], pauseReason: 'user', now: T0 + 1 });
    await tick(engine, idle.jobId);
    expect(queue.tasks).toEqual([]);

    const busy = await startJob(sqlite, { rows: 3 });
    await claimNext(sqlite, busy.jobId);
    await sqlite.transitionJob(busy.jobId, { to: 'paused', from: ['running'], pauseReason: 'user', now: T0 + 1 });
    await tick(engine, busy.jobId);
    expect(queue.tasks.map((t) => t.kind)).toEqual(['pump']);
  });
});
