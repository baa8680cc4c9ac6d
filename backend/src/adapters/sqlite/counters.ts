// The per-job counter changes one store step makes, applied to the job record in the same transaction as the rows.
import type { CounterParams, Statements } from './statements.js';

/** How much each counter moves; omitted fields move by zero. Money is nano-dollars. */
export interface CounterDelta {
  readonly total?: number;
  readonly queued?: number;
  /** Queued rows holding a window slot; with `running` this is the in-flight total the dispatch window caps. */
  readonly queuedDispatched?: number;
  readonly running?: number;
  readonly done?: number;
  readonly cached?: number;
  readonly failed?: number;
  readonly skipped?: number;
  readonly cancelled?: number;
  readonly spentNanos?: number;
  readonly reservedNanos?: number;
  /** 1 to hand out the next finish sequence number (rows that finished done/failed, for recentOutcomes). */
  readonly finishSeq?: 0 | 1;
}

/**
 * Applies `delta` to the job's counters; `now` (when known) becomes the job's updatedAt.
 * Returns the job's finish sequence after the change, or undefined if the job does not exist.
 */
export function applyCounters(statements: Statements, jobId: string, delta: CounterDelta, now: number | null): number | undefined {
  const params: CounterParams = {
    id: jobId,
    total: delta.total ?? 0,
    queued: delta.queued ?? 0,
    queuedDispatched: delta.queuedDispatched ?? 0,
    running: delta.running ?? 0,
    done: delta.done ?? 0,
    cached: delta.cached ?? 0,
    failed: delta.failed ?? 0,
    skipped: delta.skipped ?? 0,
    cancelled: delta.cancelled ?? 0,
    spent: delta.spentNanos ?? 0,
    reserved: delta.reservedNanos ?? 0,
    finishSeq: delta.finishSeq ?? 0,
    now,
  };
  return statements.applyCounters.get(params)?.finish_seq;
}

/** Adds `n` to one error class's count in errorsByClass (`errors`) or retriesByClass (`retries`). */
export function bumpClass(statements: Statements, jobId: string, which: 'errors' | 'retries', errorClass: string, n = 1): void {
  const statement = which === 'errors' ? statements.bumpError : statements.bumpRetry;
  statement.run({ id: jobId, cls: errorClass, n });
}
