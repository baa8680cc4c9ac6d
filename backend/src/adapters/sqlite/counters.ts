// Applies a decided counter change (domain/row-transitions' CounterDelta) to the job record, in the same transaction as the rows.
import type { ErrorClass } from '../../kernel/error-classes.js';
import type { CounterDelta } from '../../domain/row-transitions.js';
import type { CounterParams, Statements } from './statements.js';

/**
 * Applies `delta` to the job's counters, its error and retry classes included; `now` (when known) becomes the job's
 * updatedAt. Returns the job's finish sequence after the change, or undefined if the job does not exist.
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
  const seq = statements.applyCounters.get(params)?.finish_seq;
  for (const [errorClass, n] of classCounts(delta.errors)) bumpClass(statements, jobId, 'errors', errorClass, n);
  for (const [errorClass, n] of classCounts(delta.retries)) bumpClass(statements, jobId, 'retries', errorClass, n);
  return seq;
}

/** Adds `n` to one error class's count in errorsByClass (`errors`) or retriesByClass (`retries`). */
function bumpClass(statements: Statements, jobId: string, which: 'errors' | 'retries', errorClass: string, n: number): void {
  const statement = which === 'errors' ? statements.bumpError : statements.bumpRetry;
  statement.run({ id: jobId, cls: errorClass, n });
}

function classCounts(counts: CounterDelta['errors']): Array<[ErrorClass, number]> {
  return (Object.entries(counts ?? {}) as Array<[ErrorClass, number | undefined]>).filter((entry): entry is [ErrorClass, number] => entry[1] !== undefined && entry[1] !== 0);
}
