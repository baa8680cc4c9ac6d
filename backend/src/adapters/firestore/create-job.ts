// createJob: the job document with its counter shards (as many as its rate needs), window shards and pool, in one batch.
import type { NewJob } from '../../ports/store.js';
import type { StoreContext } from './context.js';
import { usdToNanosOrNull } from '../../kernel/money.js';
import type { CounterDoc, JobDoc, PoolDoc, WindowDoc } from './records.js';
import { SCHEMA, ZERO_COUNTERS } from './records.js';
import { targetRecord } from '../shared/job-target-record.js';
import { assertTime } from '../../domain/store-arguments.js';
import { counterShardsFor } from './shard-sizing.js';

export async function createJob(ctx: StoreContext, job: NewJob, now: number): Promise<void> {
  assertTime('now', now);
  assertTime('createdAt', job.createdAt);
  const budgetNanos = usdToNanosOrNull(job.budgetUsd, 'budgetUsd');
  const { layout, windowShards } = ctx;
  // Sized by the rate the job may reach, so no shard takes more than ~1 write a second (shard-sizing.ts).
  const counterShards = counterShardsFor(job.config, ctx.counterShards, ctx.maxCounterShards);
  const doc: JobDoc = {
    schema: SCHEMA,
    id: job.id,
    owner: job.owner,
    ...targetRecord(job.target),
    config: JSON.stringify(job.config),
    configHash: job.configHash,
    status: 'preparing',
    pauseReason: null,
    message: null,
    budgetNanos,
    createdAt: job.createdAt,
    updatedAt: now,
    runningSince: job.createdAt,
    finishedAt: null,
    simulated: job.simulated,
    settle: null,
    counterShards,
    windowShards,
    classKeyed: true,
  };
  const batch = ctx.db.batch();
  batch.create(layout.job(job.id), doc);
  const counter: CounterDoc = { schema: SCHEMA, status: 'preparing', budgetNanos, updatedAt: 0, ...ZERO_COUNTERS, classKeys: 0 };
  for (let k = 0; k < counterShards; k++) batch.create(layout.counter(job.id, k), counter);
  const window: WindowDoc = { schema: SCHEMA, status: 'preparing', dispatched: 0 };
  for (let k = 0; k < windowShards; k++) batch.create(layout.window(job.id, k), window);
  const pool: PoolDoc = { schema: SCHEMA, grantedNanos: 0 };
  batch.create(layout.pool(job.id), pool);
  try {
    await batch.commit();
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 6) throw new Error(`job ${job.id} already exists`, { cause: error });
    throw error;
  }
  ctx.learnJob(doc);
}
