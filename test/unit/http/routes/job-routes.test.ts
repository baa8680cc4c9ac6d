import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../../../backend/src/adapters/sqlite/sqlite-store.js';
import type { SheetJobs } from '../../../../backend/src/application/sheet-jobs.js';
import { composeEngine } from '../../../../backend/src/compose/engine.js';
import { JobViews } from '../../../../backend/src/http/job-view.js';
import { jobRoutes } from '../../../../backend/src/http/routes/job-routes.js';
import type { Clock } from '../../../../backend/src/ports/clock.js';
import type { ModelClient } from '../../../../backend/src/ports/model.js';
import type { Queue } from '../../../../backend/src/ports/queue.js';
import type { Store } from '../../../../backend/src/ports/store.js';
import { startJob, T0 } from '../../../contract/helpers/store-fixtures.js';

/** The real SQLite store, with a tally of the reads a request makes of the job and of its counters. */
function countingStore(store: SqliteStore): { store: Store; reads: { getJob: number; counts: number } } {
  const reads = { getJob: 0, counts: 0 };
  const counted = new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (key === 'getJob' || key === 'counts') reads[key]++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: counted, reads };
}

const queue: Queue = { enqueue: (tasks) => Promise.resolve({ enqueued: tasks.length, existing: 0 }), start: () => undefined, stop: () => Promise.resolve() };
const clock: Clock = { now: () => T0 + 1_000, sleep: () => Promise.resolve() };
const noModel: ModelClient = {
  simulated: true,
  validate: () => Promise.reject(new Error('these routes never call the model')),
  complete: () => Promise.reject(new Error('these routes never call the model')),
};
// Authorization is the application layer's (tested there); here every caller may act.
const anyone = { authorize: () => Promise.resolve() } as unknown as SheetJobs;

let db: SqliteDatabase | undefined;
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  db?.close();
  db = undefined;
});

async function setUp() {
  db = openDatabase({ path: ':memory:' });
  const sqlite = new SqliteStore(db);
  const { store, reads } = countingStore(sqlite);
  const engine = composeEngine({ store, queue, model: noModel, clock });
  const app = express();
  app.use(express.json());
  app.use(jobRoutes({ engine, sheetJobs: anyone, views: new JobViews(), clock, caller: () => ({ email: 'ada@example.com' }) }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (method: 'GET' | 'POST', path: string) => {
    reads.getJob = 0;
    reads.counts = 0;
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
    return { status: res.status, body: (await res.json()) as { job: { status: string; counts: { total: number; queued: number; cancelled: number } } }, reads: { ...reads } };
  };
  return { sqlite, call };
}

describe('job routes', () => {
  it('answer a job with one read of the job and one of its counters', async () => {
    const { sqlite, call } = await setUp();
    const { jobId } = await startJob(sqlite, { rows: 4 });

    const got = await call('GET', `/v1/jobs/${jobId}`);
    expect(got).toMatchObject({ status: 200, body: { job: { status: 'running', counts: { total: 4, queued: 4 } } } });
    expect(got.reads).toEqual({ getJob: 1, counts: 1 });
  });

  it('answer an action with the job as its transition left it, reading the counters once', async () => {
    const { sqlite, call } = await setUp();
    const { jobId } = await startJob(sqlite, { rows: 3 });

    const cancelled = await call('POST', `/v1/jobs/${jobId}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { job: { status: 'cancelled', counts: { total: 3, queued: 0, cancelled: 3 } } } });
    expect(cancelled.reads).toEqual({ getJob: 1, counts: 1 });
  });

  it('resume and re-run failed rows read the job once, to authorize it, and their counters once', async () => {
    const { sqlite, call } = await setUp();
    const { jobId } = await startJob(sqlite, { rows: 2 });
    await sqlite.transitionJob(jobId, { to: 'paused', from: ['running'], pauseReason: 'user', message: 'Paused by the user.', now: T0 + 500 });

    const resumed = await call('POST', `/v1/jobs/${jobId}/resume`);
    expect(resumed).toMatchObject({ status: 200, body: { job: { status: 'running', counts: { total: 2 } } } });
    expect(resumed.reads).toEqual({ getJob: 1, counts: 1 });

    const retried = await call('POST', `/v1/jobs/${jobId}/retry-failed`);
    expect(retried).toMatchObject({ status: 200, body: { job: { status: 'running' }, requeued: 0 } });
    expect(retried.reads).toEqual({ getJob: 1, counts: 1 });
  });
});
