// Turns a `store_jobs` record into the port's Job and JobCounts, converting nano-dollars back to USD.
import type { ErrorClass } from '../../kernel/error-classes.js';
import type { Job, JobConfig, JobCounts, JobStatus, PauseReason } from '../../ports/domain.js';
import { nanosToUsd, nanosToUsdOrNull } from '../../kernel/money.js';
import { targetOfRecord } from '../shared/job-target-record.js';

/** A `store_jobs` record exactly as SQLite returns it. */
export interface JobRecord {
  readonly id: string;
  readonly owner: string;
  readonly sheet_key: string;
  readonly config: string;
  readonly config_hash: string;
  readonly status: JobStatus;
  readonly pause_reason: PauseReason | null;
  readonly message: string | null;
  readonly budget_nanos: number | null;
  readonly spent_nanos: number;
  readonly reserved_nanos: number;
  readonly total_rows: number;
  readonly queued: number;
  readonly queued_dispatched: number;
  readonly running: number;
  readonly done: number;
  readonly cached: number;
  readonly failed: number;
  readonly skipped: number;
  readonly cancelled: number;
  readonly errors_by_class: string;
  readonly retries_by_class: string;
  readonly finish_seq: number;
  readonly created_at: number;
  readonly updated_at: number;
  readonly running_since: number;
  readonly finished_at: number | null;
  readonly simulated: number;
  readonly meta: string;
}

/** The job's config and state; the counters on the same record are `toCounts`' part. */
export function toJob(record: JobRecord): Job {
  return {
    id: record.id,
    owner: record.owner,
    target: targetOfRecord({ sheetKey: record.sheet_key, meta: record.meta }),
    config: JSON.parse(record.config) as JobConfig,
    configHash: record.config_hash,
    status: record.status,
    pauseReason: record.pause_reason,
    message: record.message,
    budgetUsd: nanosToUsdOrNull(record.budget_nanos),
    createdAt: record.created_at,
    updatedAt: record.updated_at,
    runningSince: record.running_since,
    finishedAt: record.finished_at,
    simulated: record.simulated === 1,
  };
}

export function toCounts(record: JobRecord): JobCounts {
  return {
    total: record.total_rows,
    queued: record.queued,
    running: record.running,
    done: record.done,
    cached: record.cached,
    failed: record.failed,
    skipped: record.skipped,
    cancelled: record.cancelled,
    errorsByClass: parseClassCounts(record.errors_by_class),
    retriesByClass: parseClassCounts(record.retries_by_class),
    spentUsd: nanosToUsd(record.spent_nanos),
    reservedUsd: nanosToUsd(record.reserved_nanos),
  };
}

/** Classes whose count fell to zero (failed rows re-queued) are dropped, so callers see only classes that matter now. */
function parseClassCounts(json: string): Partial<Record<ErrorClass, number>> {
  const parsed = JSON.parse(json) as Record<string, number>;
  const result: Partial<Record<ErrorClass, number>> = {};
  for (const [key, value] of Object.entries(parsed)) if (value > 0) result[key as ErrorClass] = value;
  return result;
}
