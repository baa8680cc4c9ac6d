// The result-sink port (ResultSink): where finished rows are written back, in batches, by their stable row ids — a Google tab or a CSV/XLSX file.
// Not spreadsheet.ts: that one is the Google Sheets gateway (read and prepare a tab, write columns); this is only the write-back every target has.
import type { Job, Row } from './domain.js';

export interface FlushResult {
  /** Rows whose results are now in the sheet. */
  readonly written: readonly string[];
  /** Row ids no longer found in the sheet (deleted): kept in the store, written nowhere. */
  readonly missing: readonly string[];
  /** Row ids found more than once (a copied row): written to neither place. */
  readonly duplicated: readonly string[];
  /**
   * The sheet moved under the write (a sort or an insert between reading row positions and writing): some cells may
   * have landed on other rows, so every finished row of the job must be written again.
   */
  readonly resync?: boolean;
  /**
   * Nothing was sent: the deployment's Sheets request budget (SheetsQuota) has no token for this flush now. Every row
   * stays unflushed and rides in a later flush, so flushes stretch as load grows and nothing is dropped.
   */
  readonly deferred?: { readonly retryAfterMs: number };
}

export interface ResultSink {
  /**
   * Write these rows' statuses, and the outputs of the finished ones (a running row gets its `running` status only).
   * Throws a typed error when the write should be retried later.
   */
  flush(job: Job, rows: readonly Row[]): Promise<FlushResult>;
  /** Show transient statuses (queued, running, paused: budget) for rows that are not finished. Optional. */
  markStatus?(job: Job, rowIds: readonly string[], status: string): Promise<void>;
}

/** Finds the sink for a job's target, or undefined when the job writes its results elsewhere (e.g. a file, at the end). */
export type SinkResolver = (job: Job) => ResultSink | undefined;
