// How many counter shards a new job gets: enough that none takes more than ~1 write a second at the job's top rate.
import type { JobConfig } from '../../ports/domain.js';
import { DEFAULT_LIMITS } from '../../kernel/limits.js';

/**
 * Every fast row writes its counter shard twice (a claim and a finish, each its own optimistic step, so a group commit
 * cannot merge them), so a job at R rows/s writes each of S shards 2R/S times a second, and the hottest one more: the
 * row → shard hash leaves it ~1.25× its share (the cloud bench: 1.74 writes/s on the hottest of 128 shards at ~90
 * rows/s, where the even share is 1.4). Firestore's guidance is ≤ 1 sustained write a second per document, so a job
 * gets ⌈2 × R × 1.3⌉ shards, never fewer than the store's configured count and never more than a commit can hold.
 * The 1.3 is a long job's skew (156 rows a shard): with fewer rows a shard the hottest takes more than its share
 * (1.65× for 20,000 rows over 434 shards, ~1.3 writes/s at 167 rows/s; 1.2× at 100,000), which the cap of a commit
 * leaves as it is (decision 53).
 */
const WRITES_PER_ROW = 2;
/** The hottest shard's load over its even share, with a little room over the measured ~1.25. */
const HOTTEST_SHARD_SKEW = 1.3;
/**
 * The fastest a model call comes back, for sizing only: a short answer from a fast model, network included. Lower
 * than a typical call on purpose: too many shards cost wider reads of counts(); too few make a hot document.
 */
export const FASTEST_CALL_SECONDS = 0.5;
/**
 * Cheap jobs never get more: claim-batch.ts reads and may write every shard in the commit of each chunk it claims
 * (rows + 2 × shards + 3 ≤ 500 writes: 97 rows a chunk at 200 shards, none at all past 248), and a cheap job writes
 * a shard once per chunk, not once per row, so it has no hot shard to spread.
 */
export const CHEAP_MAX_COUNTER_SHARDS = 200;

/**
 * The most rows a second a fast job may reach, from what its config says, or undefined for a cheap job (whose rows are
 * claimed a chunk at a time). Each row is at least one model call, so `rpm` ÷ 60 bounds it whatever else the row does
 * (research turns and repairs only make rows fewer). Without `rpm` the rows in flight bound it: `workers` (1–50), or
 * for `workers: 'auto'` the engine's cap on an auto window (`maxInFlight`, whose real rate is only learned from the
 * provider's headers once the job runs), each over the fastest call. `tpm` is not used: without a call's size it bounds
 * nothing, and it can only make the rate lower.
 */
export function peakRowsPerSecond(config: Pick<JobConfig, 'workers' | 'rpm' | 'mode'>, maxInFlight: number = DEFAULT_LIMITS.maxInFlight): number | undefined {
  if (config.mode === 'cheap') return undefined;
  const inFlight = config.workers === 'auto' ? maxInFlight : config.workers;
  const byWindow = inFlight / FASTEST_CALL_SECONDS;
  const byRate = config.rpm !== undefined && config.rpm > 0 ? config.rpm / 60 : Number.POSITIVE_INFINITY;
  return Math.min(byWindow, byRate);
}

/**
 * Counter shards for a new job: ⌈2 × rows/s × 1.3⌉ clamped to [`floor`, `max`], where `floor` is the store's configured
 * count (default 128: every shard under 1 write/s to ~49 rows/s) and `max` what one commit holds beside the job's other
 * documents (options.ts). E.g. 10,000 requests/min → 167 rows/s → 434 shards; 50 workers → 100 rows/s → 260; 20
 * workers → 128 (the floor). A cheap job gets the floor, at most CHEAP_MAX_COUNTER_SHARDS.
 */
export function counterShardsFor(config: Pick<JobConfig, 'workers' | 'rpm' | 'mode'>, floor: number, max: number, maxInFlight?: number): number {
  const rate = peakRowsPerSecond(config, maxInFlight);
  if (rate === undefined) return Math.min(floor, CHEAP_MAX_COUNTER_SHARDS);
  const wanted = Math.ceil(WRITES_PER_ROW * rate * HOTTEST_SHARD_SKEW);
  return Math.max(floor, Math.min(max, wanted));
}
