// Turns a `store_rows` record into the port's Row: JSON columns parsed, flags to booleans, nano-dollars to USD.
import type { ErrorClass } from '../../kernel/error-classes.js';
import type { Outputs, Row, RowStatus } from '../../ports/domain.js';
import { nanosToUsd } from '../../kernel/money.js';
import type { RowState } from '../../domain/row-transitions.js';
import type { RowStateRecord } from './statements.js';

/** A `store_rows` record exactly as SQLite returns it. */
export interface RowRecord {
  readonly job_id: string;
  readonly row_id: string;
  readonly row_number: number;
  readonly inputs: string;
  readonly input_hash: string;
  readonly status: RowStatus;
  readonly dispatched: number;
  readonly dispatch_seq: number;
  readonly attempt: number;
  readonly next_attempt_at: number;
  readonly lease_until: number | null;
  readonly lease_seq: number;
  readonly reserved_nanos: number;
  readonly outputs: string | null;
  readonly cached: number;
  readonly error_class: ErrorClass | null;
  readonly error_message: string | null;
  readonly input_tokens: number;
  readonly cached_input_tokens: number;
  readonly output_tokens: number;
  readonly cost_nanos: number;
  readonly flushed: number;
  readonly finished_at: number | null;
  readonly finish_seq: number | null;
}

export function toRow(record: RowRecord): Row {
  return {
    jobId: record.job_id,
    rowId: record.row_id,
    rowNumber: record.row_number,
    inputs: JSON.parse(record.inputs) as Record<string, string>,
    inputHash: record.input_hash,
    status: record.status,
    dispatched: record.dispatched === 1,
    dispatchSeq: record.dispatch_seq,
    attempt: record.attempt,
    nextAttemptAt: record.next_attempt_at,
    leaseUntil: record.lease_until,
    reservedUsd: nanosToUsd(record.reserved_nanos),
    outputs: record.outputs === null ? null : (JSON.parse(record.outputs) as Outputs),
    cached: record.cached === 1,
    errorClass: record.error_class,
    errorMessage: record.error_message,
    usage: {
      inputTokens: record.input_tokens,
      cachedInputTokens: record.cached_input_tokens,
      outputTokens: record.output_tokens,
    },
    costUsd: nanosToUsd(record.cost_nanos),
    flushed: record.flushed === 1,
    finishedAt: record.finished_at,
  };
}

/** The columns the row transitions decide on, as the domain's RowState. */
export function toRowState(record: RowStateRecord): RowState {
  return {
    status: record.status,
    dispatched: record.dispatched === 1,
    dispatchSeq: record.dispatch_seq,
    attempt: record.attempt,
    nextAttemptAt: record.next_attempt_at,
    leaseUntil: record.lease_until,
    leaseSeq: record.lease_seq,
    reservedNanos: record.reserved_nanos,
    cached: record.cached === 1,
    errorClass: record.error_class,
    errorMessage: record.error_message,
    inputTokens: record.input_tokens,
    cachedInputTokens: record.cached_input_tokens,
    outputTokens: record.output_tokens,
    costNanos: record.cost_nanos,
    flushed: record.flushed === 1,
    finishedAt: record.finished_at,
  };
}
