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
  /** Prompt tokens of its requests, counted once it passed validation (what the enqueued-token limit counts); 0 before. */
  enqueuedTokens: number;
  readonly times: Partial<Record<'in_progress_at' | 'finalizing_at' | 'completed_at' | 'failed_at' | 'expired_at' | 'cancelling_at' | 'cancelled_at', number>>;
  timers: NodeJS.Timeout[];
}

/** Accepted batches still being worked on: their tokens count against the enqueued-token limit. */
const ENQUEUED: ReadonlySet<BatchStatus> = new Set(['in_progress', 'finalizing', 'cancelling']);

/** A model's enqueued tokens now, the most there were at once, and the batches refused for the limit. */
export interface BatchTokenStats {
  readonly enqueued: number;
  readonly peak: number;
  readonly refused: number;
}

/** Batches by id, in creation order. */
export class BatchStore {
  readonly batches = new Map<string, StandInBatch>();
  private seq = 0;
  private readonly stats = new Map<string, { peak: number; refused: number }>();

  nextId(): string {
    return `batch_standin${(++this.seq).toString(16).padStart(8, '0')}`;
  }

  /** Prompt tokens of `model`'s accepted batches that have not ended. */
  enqueued(model: string): number {
    let sum = 0;
    for (const batch of this.batches.values()) if (batch.model === model && ENQUEUED.has(batch.status)) sum += batch.enqueuedTokens;
    return sum;
  }

  /** Call after a batch of `model` was accepted (its tokens now count) or refused for the limit. */
  note(model: string, refused: boolean): void {
    const stats = this.stats.get(model) ?? { peak: 0, refused: 0 };
    if (refused) stats.refused += 1;
    stats.peak = Math.max(stats.peak, this.enqueued(model));
    this.stats.set(model, stats);
  }

  tokenStats(model: string): BatchTokenStats {
    const stats = this.stats.get(model);
    return { enqueued: this.enqueued(model), peak: stats?.peak ?? 0, refused: stats?.refused ?? 0 };
  }

  /** Forget peaks and refusals (with the request log): the peak starts again from what is enqueued now. */
  resetStats(): void {
    this.stats.clear();
  }
}
