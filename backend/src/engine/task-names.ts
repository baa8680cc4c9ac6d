// Deterministic task names: the same (job, row, dispatch) always gets the same name, so re-enqueueing is a no-op.
import type { TaskSpec } from '../ports/queue.js';
import { sha256 } from './hashing.js';

export function rowTask(jobId: string, rowId: string, dispatchSeq: number, scheduleAt?: number): TaskSpec {
  return {
    name: `row-${sha256(`${jobId}\u0000${rowId}\u0000${dispatchSeq}`).slice(0, 40)}`,
    kind: 'row',
    payload: { jobId, rowId, dispatchSeq },
    ...(scheduleAt !== undefined ? { scheduleAt } : {}),
  };
}

/**
 * How a pump was asked for: on the clock (`tick`), or kicked by a start, cancel or recovery (`kick`), or by a resume or
 * re-run that changes what waiting rows should say in the sheet (`rewrite-waiting`).
 */
export type PumpCause = 'tick' | 'kick' | 'rewrite-waiting';

/**
 * One pump per job per time slot: concurrent schedulers of the same slot collapse into one task. A kick gets a name of
 * its own, because its slot's name may already be spent; the chains it starts merge again at the next slot. The name
 * carries the cause, since a pump task's payload is only its job.
 */
export function pumpTask(jobId: string, at: number, intervalMs: number, cause: PumpCause = 'tick'): TaskSpec {
  const slot = cause === 'kick' ? `k${at}` : cause === 'rewrite-waiting' ? `w${at}` : String(Math.floor(at / intervalMs));
  return { name: `pump-${sha256(jobId).slice(0, 24)}-${slot}`, kind: 'pump', payload: { jobId }, scheduleAt: at };
}

/** The cause a delivered pump task was named for. */
export function pumpCause(taskName: string): PumpCause {
  const slot = /-([kw]?)\d+$/.exec(taskName)?.[1];
  return slot === 'k' ? 'kick' : slot === 'w' ? 'rewrite-waiting' : 'tick';
}
