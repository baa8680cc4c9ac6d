// The Batch API stand-in's batches in memory, with everything a batch object reports.
import type { BatchRequestLine, BatchValidationError } from './batch-validate.js';

export type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

export interface StandInBatch {
  readonly id: string;
  readonly inputFileId: string;
  readonly endpoint: string;
  readonly metadata: Readonly<Record<string, string>> | null;
  readonly createdAt: number;
  status: BatchStatus;
  model: string | null;
  lines: readonly BatchRequestLine[];
  errors: readonly BatchValidationError[] | null;
  /** performance.now() when processing began, and how long it takes; answered requests grow linearly over it. */
  processingStart: number;
  processingMs: number;
  /** Requests processed when the batch stopped early (cancel, expiry); null while it runs. */
  frozenProcessed: number | null;
  outputFileId: string | null;
  errorFileId: string | null;
  completed: number;
  failed: number;
  usage: { input: number; output: number } | null;
  readonly times: Partial<Record<'in_progress_at' | 'finalizing_at' | 'completed_at' | 'failed_at' | 'expired_at' | 'cancelling_at' | 'cancelled_at', number>>;
  timers: NodeJS.Timeout[];
}

/** Batches by id, in creation order. */
export class BatchStore {
  readonly batches = new Map<string, StandInBatch>();
  private seq = 0;

  nextId(): string {
    return `batch_standin${(++this.seq).toString(16).padStart(8, '0')}`;
  }
}
