// Stored documents → the port's Job, JobCounts and Row, converting nano-dollars back to USD.
import type { DocumentSnapshot } from '@google-cloud/firestore';
import type { Job, JobConfig, JobCounts, Outputs, Row } from '../../ports/domain.js';
import { positiveClasses, type ShownSums } from './counters.js';
import { nanosToUsd, nanosToUsdOrNull } from '../../kernel/money.js';
import type { CounterDoc, JobDoc, RowDoc, WindowDoc } from './records.js';
import { targetOfRecord } from '../shared/job-target-record.js';

/** The job document alone: counters and money live on the shards, which only `counts()` sums. */
export function toJob(doc: JobDoc): Job {
  return {
    id: doc.id,
    owner: doc.owner,
    target: targetOfRecord(doc),
    config: JSON.parse(doc.config) as JobConfig,
    configHash: doc.configHash,
    status: doc.status,
    pauseReason: doc.pauseReason,
    message: doc.message,
    budgetUsd: nanosToUsdOrNull(doc.budgetNanos),
    createdAt: doc.createdAt,
    // Row steps stamp their counter shard, not the job document (that would make it the hot document): this is the
    // job's last state change.
    updatedAt: doc.updatedAt,
    runningSince: doc.runningSince,
    finishedAt: doc.finishedAt,
    simulated: doc.simulated,
  };
}

export function toCounts(sums: ShownSums): JobCounts {
  return {
    total: sums.total,
    queued: sums.queued,
    running: sums.running,
    done: sums.done,
    cached: sums.cached,
    failed: sums.failed,
    skipped: sums.skipped,
    cancelled: sums.cancelled,
    errorsByClass: positiveClasses(sums.errors),
    retriesByClass: positiveClasses(sums.retries),
    spentUsd: nanosToUsd(sums.spentNanos),
    reservedUsd: nanosToUsd(sums.reservedNanos),
  };
}

export function toRow(jobId: string, doc: RowDoc): Row {
  return {
    jobId,
    rowId: doc.rowId,
    rowNumber: doc.rowNumber,
    inputs: JSON.parse(doc.inputs) as Record<string, string>,
    inputHash: doc.inputHash,
    status: doc.status,
    dispatched: doc.dispatched,
    dispatchSeq: doc.dispatchSeq,
    attempt: doc.attempt,
    nextAttemptAt: doc.nextAttemptAt,
    leaseUntil: doc.leaseUntil,
    reservedUsd: nanosToUsd(doc.reservedNanos),
    outputs: doc.outputs === null ? null : (JSON.parse(doc.outputs) as Outputs),
    cached: doc.cached,
    errorClass: doc.errorClass,
    errorMessage: doc.errorMessage,
    usage: { inputTokens: doc.inputTokens, cachedInputTokens: doc.cachedInputTokens, outputTokens: doc.outputTokens },
    costUsd: nanosToUsd(doc.costNanos),
    flushed: doc.flushed,
    finishedAt: doc.finishedAt,
  };
}

/** Typed views of snapshot data: the store is the only writer of these documents. */
export const read = {
  job: (snapshot: DocumentSnapshot): JobDoc | undefined => snapshot.data() as JobDoc | undefined,
  row: (snapshot: DocumentSnapshot): RowDoc | undefined => snapshot.data() as RowDoc | undefined,
  counter: (snapshot: DocumentSnapshot): CounterDoc | undefined => snapshot.data() as CounterDoc | undefined,
  window: (snapshot: DocumentSnapshot): WindowDoc | undefined => snapshot.data() as WindowDoc | undefined,
};
