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
 * One pump per job per time slot: concurrent schedulers of the same slot collapse into one task. A kick (start,
 * resume, retry) gets a name of its own, because its slot's name may already be spent; the chains it starts merge
 * again at the next slot.
 */
export function pumpTask(jobId: string, at: number, intervalMs: number, kick = false): TaskSpec {
  const slot = kick ? `k${at}` : String(Math.floor(at / intervalMs));
  return { name: `pump-${sha256(jobId).slice(0, 24)}-${slot}`, kind: 'pump', payload: { jobId }, scheduleAt: at };
}
