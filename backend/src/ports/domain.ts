// The shared vocabulary of jobs, rows and their states: every port and adapter speaks these types.
import type { ErrorClass } from '../kernel/error-classes.js';

export type OutputType = 'text' | 'number' | 'boolean' | 'url' | 'enum';

/** One output column the model fills in. */
export interface OutputSpec {
  readonly name: string;
  readonly instruction: string;
  readonly type: OutputType;
  /** The allowed values when `type` is `enum`. */
  readonly options?: readonly string[];
}

/** Everything that decides what a job computes and how hard it may push. */
export interface JobConfig {
  readonly inputs: readonly string[];
  readonly outputs: readonly OutputSpec[];
  readonly model: string;
  /** Rows in flight at once, 1–50; `auto`: as many as the provider's rate limits can serve (up to the server's cap). */
  readonly workers: number | 'auto';
  /** Hard cap on spend in USD; null means no cap (only allowed when the caller permits it). */
  readonly budgetUsd: number | null;
  /** Attempts per row before it fails with its last retryable error class. */
  readonly maxAttempts: number;
  /** Upper bound on output tokens per model call. */
  readonly maxOutputTokens: number;
  /** First attempt's timeout; each retry multiplies it by 1.5 up to `attemptTimeoutCapMs`. */
  readonly attemptTimeoutMs: number;
  readonly attemptTimeoutCapMs: number;
  /** Provider limits for this model when known (requests and tokens per minute). */
  readonly rpm?: number | undefined;
  readonly tpm?: number | undefined;
  /** Recompute rows even when unchanged since their last success. */
  readonly force: boolean;
  /** This job's price in USD per 1M tokens, overriding the price table (e.g. for a model it does not list). */
  readonly price?: { readonly input: number; readonly cachedInput: number; readonly output: number } | undefined;
  /** Research mode: a bounded web search / page reading loop per row. Absent or disabled: rows use their cells alone. */
  readonly research?: ResearchConfig | undefined;
  /** `cheap`: rows go to the provider's Batch API (about half the price, answers within 24 h). Absent: `fast`. */
  readonly mode?: JobMode | undefined;
  /** Cheap mode only: `fast` runs the rows an expired batch did not answer as fast calls (full price). Absent: `batch`. */
  readonly lateRows?: LateRows | undefined;
}

/** Where a cheap job's rows go when their batch expired unanswered: the next batch, or fast calls. */
export type LateRows = 'batch' | 'fast';

/** Fast: one model call per row as the window allows. Cheap: rows packed into Batch API files (engine/batch). */
export type JobMode = 'fast' | 'cheap';

export interface ResearchConfig {
  readonly enabled: boolean;
  /** web_search calls per row, 1–8. */
  readonly maxSearches: number;
  /** open_page calls per row, 0–4. */
  readonly maxPages: number;
}

export type JobStatus = 'preparing' | 'running' | 'paused' | 'cancelled' | 'completed';
export type PauseReason = 'budget' | 'auth' | 'quota' | 'failure_rate' | 'user';
export type RowStatus = 'queued' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';
export const TERMINAL_ROW_STATUSES: readonly RowStatus[] = ['done', 'failed', 'skipped', 'cancelled'];

export type OutputValue = string | number | boolean | null;
export type Outputs = Readonly<Record<string, OutputValue>>;

export interface Usage {
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
}
export const ZERO_USAGE: Usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };

/** A tab of a Google spreadsheet: rows are anchored by their rowfill_id and results are written back as they finish. */
export interface SheetTarget {
  readonly kind: 'sheet';
  readonly spreadsheetId: string;
  /** The tab's id (not its title, which the user may change). */
  readonly sheetId: number;
  /** Titles when the job started, for people reading the store; never used to find the tab. */
  readonly spreadsheetTitle?: string;
  readonly sheetTitle?: string;
}

/** A CSV/XLSX file of the CLI: rows are read from `source` and the enriched copy is written to `out` at the end. */
export interface FileTarget {
  readonly kind: 'file';
  /** Absolute path of the file read. */
  readonly source: string;
  /** Absolute path of the enriched copy. */
  readonly out: string;
  /** The XLSX sheet read, when the workbook has several. */
  readonly sheet?: string;
  /** `--rows` as given and `--limit`: what `resume` needs to read the same rows again if intake was cut short. */
  readonly rows?: string;
  readonly limit?: number;
  /** A research job's search service, so the summary labels simulated searches as it labels a simulated model. */
  readonly search?: 'simulated' | 'tavily';
  /** Outputs written into existing columns of the file (started with --overwrite), in the order given. */
  readonly replace?: readonly string[];
}

/** Where a job's rows come from and its results go. */
export type JobTarget = SheetTarget | FileTarget;

/**
 * The target as one string: jobs are listed per key and the skip-unchanged registry remembers rows per key, so two
 * jobs on the same tab or file share it. The strings are the ones stored before targets were typed (keep them).
 */
export function targetKey(target: JobTarget): string {
  return target.kind === 'sheet' ? `sheets:${target.spreadsheetId}/${target.sheetId}` : `file:${target.source}${target.sheet ? `#${target.sheet}` : ''}`;
}

/**
 * What a job is and how far it got as a state machine: its config, status and timestamps. How far its rows got (counts,
 * spent and reserved money) is `Store.counts()`: those change with every row step, and reading them costs more.
 */
export interface Job {
  readonly id: string;
  readonly owner: string;
  /** Where the job's rows come from and its results go. */
  readonly target: JobTarget;
  readonly config: JobConfig;
  readonly configHash: string;
  readonly status: JobStatus;
  readonly pauseReason: PauseReason | null;
  /** Human-readable reason for the last pause or failure, e.g. the provider's message. */
  readonly message: string | null;
  readonly budgetUsd: number | null;
  readonly createdAt: number;
  /** The job's last change: every state change; a store that keeps counters on the job's own record also stamps row steps. */
  readonly updatedAt: number;
  /** When the job last entered `running` (start or resume): the failure breaker looks only at rows finished since. */
  readonly runningSince: number;
  readonly finishedAt: number | null;
  /** True when results come from the local OpenAI stand-in, not a real model. */
  readonly simulated: boolean;
}

/** A row as submitted: its stable anchor, its position at submit time and its input values. */
export interface NewRow {
  readonly rowId: string;
  readonly rowNumber: number;
  readonly inputs: Readonly<Record<string, string>>;
  readonly inputHash: string;
  /** Rows decided at submit time: `skipped` (unchanged) or `failed` (`input_invalid`). Default `queued`. */
  readonly status?: 'queued' | 'skipped' | 'failed';
  readonly outputs?: Outputs | undefined;
  readonly errorClass?: ErrorClass | undefined;
  readonly errorMessage?: string | undefined;
}

export interface Row {
  readonly jobId: string;
  readonly rowId: string;
  readonly rowNumber: number;
  readonly inputs: Readonly<Record<string, string>>;
  readonly inputHash: string;
  readonly status: RowStatus;
  /** A queued row holds a window slot once dispatched; `dispatchSeq` names its current task. */
  readonly dispatched: boolean;
  readonly dispatchSeq: number;
  /** Model attempts started so far. */
  readonly attempt: number;
  readonly nextAttemptAt: number;
  readonly leaseUntil: number | null;
  readonly reservedUsd: number;
  readonly outputs: Outputs | null;
  readonly cached: boolean;
  readonly errorClass: ErrorClass | null;
  readonly errorMessage: string | null;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly flushed: boolean;
  readonly finishedAt: number | null;
}

/** How many of a job's rows are in each state: the one counts shape (JobCounts, the stores' counters and their deltas). */
export interface RowCounts {
  readonly total: number;
  readonly queued: number;
  readonly running: number;
  readonly done: number;
  /** Of `done`, how many came from the cache. */
  readonly cached: number;
  readonly failed: number;
  readonly skipped: number;
  readonly cancelled: number;
}

/** A snapshot of a job's counters, as the progress stream and status commands show them. */
export interface JobCounts extends RowCounts {
  /** Failed rows by class, plus retryable errors met along the way (`retries`). */
  readonly errorsByClass: Readonly<Partial<Record<ErrorClass, number>>>;
  readonly retriesByClass: Readonly<Partial<Record<ErrorClass, number>>>;
  readonly spentUsd: number;
  readonly reservedUsd: number;
}
