// Reading jobs back: one job document, a sheet's jobs newest first, and a job's counts (the only read of its shards).
import { targetKey, type Job, type JobCounts, type JobTarget } from '../../ports/domain.js';
import type { StoreContext } from './context.js';
import { sumShards } from './counters.js';
import type { JobSums } from './mappers.js';
import { read, toCounts, toJob } from './mappers.js';
import type { JobDoc } from './records.js';
import { finishTransition } from './finish-transition.js';
import { assertCount } from '../../engine/store-arguments.js';

/** The engine reads the job once or twice per row: three small reads, not one per shard. */
export async function getJob(ctx: StoreContext, jobId: string): Promise<Job | undefined> {
  const [jobSnapshot, sums] = await Promise.all([ctx.layout.job(jobId).get(), jobSums(ctx, jobId)]);
  const doc = read.job(jobSnapshot);
  return doc === undefined ? undefined : toJob(doc, sums);
}

/**
 * What a Job shows of its shards: an aggregation query sums the money and row totals server-side (billed as one read,
 * exact for integers), and one indexed read finds the latest step's time.
 */
async function jobSums(ctx: StoreContext, jobId: string): Promise<JobSums> {
  const counters = ctx.layout.counters(jobId);
  const [sums, latest] = await Promise.all([
    counters.aggregate({ spent: AggregateField.sum('spentNanos'), reserved: AggregateField.sum('reservedNanos'), total: AggregateField.sum('total') }).get(),
    counters.orderBy('updatedAt', 'desc').limit(1).get(),
  ]);
  const { spent, reserved, total } = sums.data();
  return { spentNanos: spent, reservedNanos: reserved, total, updatedAt: latest.empty ? 0 : read.counter(latest.docs[0]!)!.updatedAt };
}

export async function listJobs(ctx: StoreContext, filter: { readonly target?: JobTarget; readonly limit?: number }): Promise<Job[]> {
  if (filter.limit !== undefined) assertCount('limit', filter.limit);
  if (filter.limit === 0) return [];
  let query = filter.target === undefined ? ctx.layout.jobs().orderBy('createdAt', 'desc') : ctx.layout.jobs().where('sheetKey', '==', targetKey(filter.target)).orderBy('createdAt', 'desc');
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  const jobs = (await query.get()).docs.map((snapshot) => snapshot.data() as JobDoc);
  return Promise.all(jobs.map(async (doc) => toJob(doc, await jobSums(ctx, doc.id))));
}

/** A cancel still being worked off is finished first, so the counts never show queued rows in a cancelled job. */
export async function counts(ctx: StoreContext, jobId: string): Promise<JobCounts> {
  const doc = read.job(await ctx.layout.job(jobId).get());
  if (doc === undefined) throw new Error(`job ${jobId} does not exist`);
  if (doc.settle !== null) await finishTransition(ctx, jobId);
  const counters = await ctx.layout.counters(jobId).get();
  return toCounts(sumShards(counters.docs.map((snapshot) => read.counter(snapshot)!)));
}
