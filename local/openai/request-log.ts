// What the stand-in did with each chat completion request, kept in memory for tests and the admin route.
import type { FaultKind } from './faults.js';

export interface RequestLogEntry {
  /** Arrival order of chat completion requests, from 1. Entries are appended when the outcome is final. */
  readonly seq: number;
  /** Arrival time, epoch ms. */
  readonly at: number;
  readonly model: string | null;
  /** HTTP status sent, or null when none was (hang, connection reset). */
  readonly status: number | null;
  readonly fault: FaultKind | null;
  /** Simulated processing delay applied before answering, ms (0 for answers sent at once). */
  readonly latencyMs: number;
  /** Tokens reported in the response's usage; 0 when the response carried none. */
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** True iff a 200 completion with usage was produced, whether or not the client was still there to read it. */
  readonly billed: boolean;
  /** Sorted JSON of the row's inputs (see rowKeyOf), so a test can count calls per row; null when no row was found. */
  readonly rowKey: string | null;
  /** Set for a request answered inside a Batch API batch: billed at batch prices (half the standard price). */
  readonly batchId?: string;
  /** The batch request's custom_id, for batch requests only. */
  readonly customId?: string;
}

/** An append-only array with a cap; the array is live and cleared in place, so a held reference stays current. */
export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = limit;
    this.trim();
  }

  append(entry: RequestLogEntry): void {
    this.entries.push(entry);
    this.trim();
  }

  clear(): void {
    this.entries.length = 0;
  }

  private trim(): void {
    if (this.entries.length <= this.limit) return;
    // Dropping a tenth at a time keeps trimming amortised O(1) per entry even with a million entries.
    const excess = this.entries.length - this.limit;
    this.entries.splice(0, Math.max(excess, Math.floor(this.limit / 10)));
  }
}
