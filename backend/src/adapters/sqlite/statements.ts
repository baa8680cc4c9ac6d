// Every SQL statement the store runs, prepared once per connection: the hot paths never re-parse SQL.
import type { ErrorClass } from '../../kernel/error-classes.js';
import type { JobStatus, RowCounts, RowStatus } from '../../ports/domain.js';
import type { Statement } from 'better-sqlite3';
import type { RowSelection } from '../../domain/row-transitions.js';
import { DISPATCHABLE } from '../../domain/row-transitions.js';
import type { SqliteDatabase } from './database.js';
import type { JobRecord } from './job-mapper.js';
import type { RowRecord } from './row-mapper.js';

type Bind = Record<string, string | number | null>;

export interface JobState {
  readonly status: JobStatus;
  readonly budget_nanos: number | null;
  readonly spent_nanos: number;
  readonly reserved_nanos: number;
  readonly queued_dispatched: number;
  readonly running: number;
}

export interface CounterParams extends Bind, RowCounts {
  readonly id: string;
  readonly queuedDispatched: number;
  readonly spent: number;
  readonly reserved: number;
  readonly finishSeq: number;
  readonly now: number | null;
}

/** A row's state columns, as the transitions in row-transitions.ts read them. */
export interface RowStateRecord {
  readonly rowid: number;
  readonly row_id: string;
  readonly status: RowStatus;
  readonly dispatched: number;
  readonly dispatch_seq: number;
  readonly attempt: number;
  readonly next_attempt_at: number;
  readonly lease_until: number | null;
  readonly lease_seq: number;
  readonly reserved_nanos: number;
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

/** The columns a dispatch reads (domain DispatchState). */
export type DispatchRecord = Pick<RowStateRecord, 'rowid' | 'row_id' | 'status' | 'dispatched' | 'dispatch_seq' | 'next_attempt_at'>;

const ROW_STATE = `SELECT rowid, row_id, status, dispatched, dispatch_seq, attempt, next_attempt_at, lease_until, lease_seq, reserved_nanos,
  cached, error_class, error_message, input_tokens, cached_input_tokens, output_tokens, cost_nanos, flushed, finished_at, finish_seq
  FROM store_rows`;

/**
 * An UPDATE of exactly the given columns of one row (bound by name), prepared once per column set: a decided patch
 * writes only what it changes, to one row (a claim's RETURNING * hands it back) or to many given the same patch.
 */
function rowPatcher(db: SqliteDatabase) {
  const prepared = new Map<string, Statement<Bind, RowRecord>>();
  return (columns: readonly string[], target: 'one' | 'one returning' | 'many'): Statement<Bind, RowRecord> => {
    const key = `${columns.join(',')} ${target}`;
    let statement = prepared.get(key);
    if (statement === undefined) {
      const set = columns.map((column) => `${column} = @${column}`).join(', ');
      // `many`: @rowids is a JSON array, so rows given the same patch are written by one statement.
      const where = target === 'many' ? 'rowid IN (SELECT value FROM json_each(@rowids))' : 'rowid = @rowid';
      statement = db.prepare<Bind, RowRecord>(`UPDATE store_rows SET ${set} WHERE ${where}${target === 'one returning' ? ' RETURNING *' : ''}`);
      prepared.set(key, statement);
    }
    return statement;
  };
}

/**
 * A domain RowSelection as SQL over store_rows: the statements that pick rows for a decision spell the decision's own
 * selection, so one indexed query (store_rows_by_state) reads exactly the rows the decision would change — not every
 * row of a 100,000-row job. test/unit/adapters/sqlite/row-selections.test.ts runs them against the decisions over
 * every status.
 */
function selectionSql(selection: RowSelection): string {
  const dispatched = selection.dispatched === undefined ? '' : ` AND dispatched = ${selection.dispatched ? 1 : 0}`;
  return `status = '${selection.status}'${dispatched}`;
}

/** The state columns of a job's rows a selection picks, prepared once per selection. */
function rowSelector(db: SqliteDatabase) {
  const prepared = new Map<string, Statement<[string], RowStateRecord>>();
  return (selection: RowSelection): Statement<[string], RowStateRecord> => {
    const where = selectionSql(selection);
    let statement = prepared.get(where);
    if (statement === undefined) {
      statement = db.prepare<[string], RowStateRecord>(`${ROW_STATE} WHERE job_id = ? AND ${where}`);
      prepared.set(where, statement);
    }
    return statement;
  };
}

const TERMINAL_SQL = `('done', 'failed', 'skipped', 'cancelled')`;
const ROWS_PAGE = `SELECT * FROM store_rows WHERE job_id = @jobId AND row_number > @after`;
const STATUS_FILTER = `AND status IN (SELECT value FROM json_each(@statuses))`;
// Spelled exactly as the partial index `store_rows_unflushed` so the planner uses it.
const UNFLUSHED_FILTER = `AND flushed = 0 AND status IN ${TERMINAL_SQL}`;
const PAGE_END = `ORDER BY row_number LIMIT @limit`;
const BUMP_CLASS = (column: string): string =>
  `UPDATE store_jobs SET ${column} = json_set(${column}, '$."' || @cls || '"', coalesce(json_extract(${column}, '$."' || @cls || '"'), 0) + @n) WHERE id = @id`;

export function prepareStatements(db: SqliteDatabase) {
  return {
    insertJob: db.prepare<Bind>(
      `INSERT INTO store_jobs (id, owner, sheet_key, config, config_hash, status, budget_nanos, created_at, updated_at, running_since, simulated, meta)
       VALUES (@id, @owner, @sheetKey, @config, @configHash, 'preparing', @budget, @createdAt, @now, @createdAt, @simulated, @meta)`,
    ),
    getJob: db.prepare<[string], JobRecord>(`SELECT * FROM store_jobs WHERE id = ?`),
    /** The few job columns the hot paths (dispatch, claim, finish) need, without parsing the config. */
    jobState: db.prepare<[string], JobState>(
      `SELECT status, budget_nanos, spent_nanos, reserved_nanos, queued_dispatched, running FROM store_jobs WHERE id = ?`,
    ),
    listJobs: db.prepare<[number], JobRecord>(`SELECT * FROM store_jobs ORDER BY created_at DESC, rowid DESC LIMIT ?`),
    listJobsForSheet: db.prepare<[string, number], JobRecord>(
      `SELECT * FROM store_jobs WHERE sheet_key = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`,
    ),
    updateJobState: db.prepare<Bind, JobRecord>(
      `UPDATE store_jobs SET status = @status, pause_reason = @pauseReason, message = @message, budget_nanos = @budget,
         running_since = @runningSince, finished_at = @finishedAt, updated_at = @now
       WHERE id = @id RETURNING *`,
    ),
    applyCounters: db.prepare<CounterParams, { finish_seq: number }>(
      `UPDATE store_jobs SET
         total_rows = total_rows + @total, queued = queued + @queued, queued_dispatched = queued_dispatched + @queuedDispatched,
         running = running + @running, done = done + @done, cached = cached + @cached, failed = failed + @failed,
         skipped = skipped + @skipped, cancelled = cancelled + @cancelled,
         spent_nanos = spent_nanos + @spent, reserved_nanos = reserved_nanos + @reserved,
         finish_seq = finish_seq + @finishSeq, updated_at = coalesce(@now, updated_at)
       WHERE id = @id RETURNING finish_seq`,
    ),
    bumpError: db.prepare<Bind>(BUMP_CLASS('errors_by_class')),
    bumpRetry: db.prepare<Bind>(BUMP_CLASS('retries_by_class')),

    insertRow: db.prepare<Bind>(
      `INSERT INTO store_rows (job_id, row_id, row_number, inputs, input_hash, status, outputs, error_class, error_message)
       VALUES (@jobId, @rowId, @rowNumber, @inputs, @inputHash, @status, @outputs, @errorClass, @errorMessage)`,
    ),
    getRow: db.prepare<[string, string], RowRecord>(`SELECT * FROM store_rows WHERE job_id = ? AND row_id = ?`),
    /** The state columns the row transitions read (no inputs or outputs to parse). */
    rowState: db.prepare<[string, string], RowStateRecord>(`${ROW_STATE} WHERE job_id = ? AND row_id = ?`),
    expiredRows: db.prepare<Bind, RowStateRecord>(`${ROW_STATE} WHERE job_id = @jobId AND status = 'running' AND lease_until < @now`),
    staleDispatched: db.prepare<Bind, RowStateRecord>(
      `${ROW_STATE} WHERE job_id = @jobId AND status = 'queued' AND dispatched = 1 AND next_attempt_at < @olderThan`,
    ),
    rowsByStatus: db.prepare<[string, RowStatus], RowStateRecord>(`${ROW_STATE} WHERE job_id = ? AND status = ?`),
    /** A job's rows a selection picks (a transition's queued rows: leaving `running` reads only the window's). */
    selectedRows: rowSelector(db),
    /** Writes the columns a transition's patch changes. */
    patchRow: rowPatcher(db),
    // Two steps (pick, then update by rowid) because an `UPDATE … WHERE rowid IN (SELECT … LIMIT)` costs ~30x more.
    // Only the columns decideDispatch reads: the pick is most of a dispatch's cost, and the full state triples it.
    nextDispatchable: db.prepare<Bind, DispatchRecord>(
      `SELECT rowid, row_id, status, dispatched, dispatch_seq, next_attempt_at FROM store_rows
       WHERE job_id = @jobId AND ${selectionSql(DISPATCHABLE)} ORDER BY row_number LIMIT @limit`,
    ),
    setErrorsByClass: db.prepare<[string, string]>(`UPDATE store_jobs SET errors_by_class = ? WHERE id = ?`),
    recentOutcomes: db.prepare<Bind, { status: 'done' | 'failed' }>(
      `SELECT status FROM store_rows
       WHERE job_id = @jobId AND finish_seq IS NOT NULL AND status IN ('done', 'failed') AND finished_at >= @since
       ORDER BY finish_seq DESC LIMIT @n`,
    ),
    listRows: db.prepare<Bind, RowRecord>(`${ROWS_PAGE} ${PAGE_END}`),
    listRowsByStatus: db.prepare<Bind, RowRecord>(`${ROWS_PAGE} ${STATUS_FILTER} ${PAGE_END}`),
    listUnflushed: db.prepare<Bind, RowRecord>(`${ROWS_PAGE} ${UNFLUSHED_FILTER} ${PAGE_END}`),
    listUnflushedByStatus: db.prepare<Bind, RowRecord>(`${ROWS_PAGE} ${UNFLUSHED_FILTER} ${STATUS_FILTER} ${PAGE_END}`),
    markFlushed: db.prepare<[string, string]>(`UPDATE store_rows SET flushed = 1 WHERE job_id = ? AND row_id = ?`),
    markAllUnflushed: db.prepare<[string]>(`UPDATE store_rows SET flushed = 0 WHERE job_id = ? AND flushed = 1`),

    getCache: db.prepare<[string], { outputs: string; expires_at: number }>(`SELECT outputs, expires_at FROM store_cache WHERE key = ?`),
    deleteExpiredCache: db.prepare<[string, number]>(`DELETE FROM store_cache WHERE key = ? AND expires_at <= ?`),
    putCache: db.prepare<[string, string, number]>(
      `INSERT INTO store_cache (key, outputs, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET outputs = excluded.outputs, expires_at = excluded.expires_at`,
    ),
    getRegistry: db.prepare<
      [string, string],
      { sheet_key: string; row_id: string; input_hash: string; config_hash: string; outputs: string; updated_at: number }
    >(`SELECT * FROM store_registry WHERE sheet_key = ? AND row_id = ?`),
    putRegistry: db.prepare<Bind>(
      `INSERT INTO store_registry (sheet_key, row_id, input_hash, config_hash, outputs, updated_at)
       VALUES (@sheetKey, @rowId, @inputHash, @configHash, @outputs, @updatedAt)
       ON CONFLICT (sheet_key, row_id) DO UPDATE SET input_hash = excluded.input_hash, config_hash = excluded.config_hash,
         outputs = excluded.outputs, updated_at = excluded.updated_at`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
