// The Batch port (cheap mode): pack row requests into files, submit them as provider batches, poll, and stream the results.
import type { RowfillError } from '../kernel/errors.js';
import type { Usage } from './domain.js';
import type { CompletionRequest } from './model.js';

/** OpenAI's batch states, kept verbatim: the sidebar shows them. */
export type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

/** States after which a batch changes no more: its output and error files (if any) are final. */
export const TERMINAL_BATCH_STATUSES: readonly BatchStatus[] = ['failed', 'completed', 'expired', 'cancelled'];

/** One row's request: the same request fast mode sends, without the per-call signal, and no tools (research mode is not batched). */
export interface BatchRowRequest {
  /** Unique within a file; the engine uses `<rowId>:<generation>` so a late answer for an older dispatch is recognised. */
  readonly customId: string;
  readonly request: Omit<CompletionRequest, 'signal' | 'tools' | 'toolChoice'>;
}

/** A packed input file, on local disk until uploaded; it holds `requestCount` requests in `bytes` bytes. */
export interface PackedBatchFile {
  /** The name it is uploaded under; deterministic from the pack's prefix and sequence, so a restart can find the upload. */
  readonly filename: string;
  readonly requestCount: number;
  readonly bytes: number;
  /** The custom ids in the file, in order (the engine marks these rows `in batch`). */
  readonly customIds: readonly string[];
  /** Removes the local copy; safe to call twice. */
  dispose(): Promise<void>;
}

export interface PackOptions {
  /** Filenames are `<prefix>-<n>.jsonl` with n from `firstSequence` (default 0). Letters, digits, `-` and `_` only. */
  readonly filenamePrefix: string;
  readonly firstSequence?: number;
}

export interface UploadedBatchFile {
  readonly fileId: string;
  readonly filename: string;
  readonly bytes: number;
}

export interface BatchRequestCounts {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
}

export interface BatchInfo {
  readonly id: string;
  readonly status: BatchStatus;
  readonly inputFileId: string;
  /** Set once results exist (completed, expired or cancelled with answers). */
  readonly outputFileId: string | null;
  readonly errorFileId: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly counts: BatchRequestCounts;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms when the 24 h window ends (for the "by <time>" ETA), null when the provider did not say. */
  readonly expiresAt: number | null;
  /** Why a `failed` batch failed (validation), one entry per reported problem. */
  readonly errors: readonly { readonly code: string; readonly message: string; readonly line: number | null }[];
}

/** What to look for when recovering after a crash: every given field must match. */
export interface BatchLookup {
  readonly inputFileId?: string;
  /** Every key given must be present with this value. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Stop after looking at this many batches, newest first (default 1,000): recovery looks for recent batches. */
  readonly scanLimit?: number;
}

/** One line of an output or error file, typed. */
export type BatchRowResult =
  /** The model answered (HTTP 200). `content` is raw text for the engine's validation; usage is what was billed, at batch prices. */
  | {
      readonly kind: 'answer';
      readonly customId: string;
      readonly content: string;
      readonly usage: Usage;
      readonly finishReason: string | null;
    }
  /**
   * The request failed; `error` is classified by kernel/errors.ts (a refusal or content filter is a ContentFilterError
   * with the usage it was still billed; a 500 is a ServerError to retry, a 400 an InvalidRequestError...).
   */
  | { readonly kind: 'error'; readonly customId: string; readonly error: RowfillError; readonly usage: Usage }
  /** The batch ended before this request ran (`batch_expired`, `batch_cancelled`): nothing billed, the row goes back to the queue. */
  | { readonly kind: 'unanswered'; readonly customId: string; readonly code: string; readonly message: string };

export interface BatchClient {
  /** True when this client talks to the local stand-in, so results must be labelled simulated. */
  readonly simulated: boolean;
  /** The per-file limits the packer keeps to. */
  readonly limits: { readonly maxRequestsPerFile: number; readonly maxBytesPerFile: number };
  /**
   * Packs rows into JSONL files within the limits, streaming: each file is yielded as soon as it is full (or the rows
   * end), and the rows are read only as fast as files are consumed. Dispose each file after uploading it.
   */
  pack(rows: AsyncIterable<BatchRowRequest>, options: PackOptions): AsyncIterable<PackedBatchFile>;
  upload(file: PackedBatchFile, signal?: AbortSignal): Promise<UploadedBatchFile>;
  /** The newest uploaded batch input file with this filename, or null: look before uploading again after a crash. */
  findUploadedFile(filename: string, signal?: AbortSignal): Promise<UploadedBatchFile | null>;
  /** Submits an uploaded file as a batch on /v1/chat/completions with a 24 h window; metadata: at most 16 pairs. */
  create(inputFileId: string, metadata: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<BatchInfo>;
  retrieve(batchId: string, signal?: AbortSignal): Promise<BatchInfo>;
  cancel(batchId: string, signal?: AbortSignal): Promise<BatchInfo>;
  /** Batches matching the lookup, newest first: look before creating another after a crash. */
  find(lookup: BatchLookup, signal?: AbortSignal): Promise<BatchInfo[]>;
  /** The lines of an output or error file, one at a time: a 50,000-line file is never held whole. */
  results(fileId: string, signal?: AbortSignal): AsyncIterable<BatchRowResult>;
}
