// Reading jobs back: one job document, a sheet's jobs newest first, and a job's counts (summed over its shards).
import { targetKey, type Job, type JobCounts, type JobTarget } from '../../ports/domain.js';
import type { StoreContext } from './context.js';
import { aggregateCounts } from './aggregate-counts.js';
import { sumShards } from './counters.js';
import { read, toCounts, toJob } from './mappers.js';
import type { JobDoc } from './records.js';
import { finishTransition } from './finish-transition.js';
import { assertCount } from '../../domain/store-arguments.js';

/** One document read: the engine reads the job once or twice per row, and its counters only when it needs them. */
export async function getJob(ctx: StoreContext, jobId: string): Promise<Job | undefined> {
  // Through the grouped reads: a task reads its job and its row at once, and they usually share one round trip.
  const [snapshot] = await ctx.channel.getAll([ctx.layout.job(jobId)]);
  const doc = read.job(snapshot!);
  return doc === undefined ? undefined : toJob(doc);
}

export async function listJobs(ctx: StoreContext, filter: { readonly target?: JobTarget; readonly limit?: number }): Promise<Job[]> {
  if (filter.limit !== undefined) assertCount('limit', filter.limit);
  if (filter.limit === 0) return [];
  let query = filter.target === undefined ? ctx.layout.jobs().orderBy('createdAt', 'desc') : ctx.layout.jobs().where('sheetKey', '==', targetKey(filter.target)).orderBy('createdAt', 'desc');
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.get()).docs.map((snapshot) => {
    const doc = snapshot.data() as JobDoc;
    ctx.learnJob(doc);
    return toJob(doc);
  });
}

/** A cancel still being worked off is finished first, so the counts never show queued rows in a cancelled job. */
export async function counts(ctx: StoreContext, jobId: string): Promise<JobCounts> {
  const doc = read.job(await ctx.layout.job(jobId).get());
  if (doc === undefined) throw new Error(`job ${jobId} does not exist`);
  ctx.learnJob(doc);
  if (doc.settle !== null) await finishTransition(ctx, jobId);
  if (doc.classKeyed) return toCounts(await aggregateCounts(ctx, jobId));
  // A job stored before its shards kept `classKeys`: every shard read.
  const counters = await ctx.layout.counters(jobId).get();
  return toCounts(sumShards(counters.docs.map((snapshot) => read.counter(snapshot)!)));
}
