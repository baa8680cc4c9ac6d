// Creates (idempotently) the store's tables and indexes in the shared SQLite file; every name starts with `store_`.
import type { SqliteDatabase } from './database.js';

/** Bump when the layout changes, and add a migration step to `migrateStoreSchema`. */
export const STORE_SCHEMA_VERSION = 1;

/**
 * Money is integer nano-dollars (`*_nanos`) so budget sums are exact. Job counters live on the job row and are
 * updated in the same transaction as the rows they count, so `counts()` and the dispatch window read one row.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS store_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS store_jobs (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  sheet_key TEXT NOT NULL,
  config TEXT NOT NULL,
  config_hash TEXT NOT NULL,
  status TEXT NOT NULL,
  pause_reason TEXT,
  message TEXT,
  budget_nanos INTEGER,
  spent_nanos INTEGER NOT NULL DEFAULT 0,
  reserved_nanos INTEGER NOT NULL DEFAULT 0,
  total_rows INTEGER NOT NULL DEFAULT 0,
  queued INTEGER NOT NULL DEFAULT 0,
  queued_dispatched INTEGER NOT NULL DEFAULT 0,
  running INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  cached INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  cancelled INTEGER NOT NULL DEFAULT 0,
  errors_by_class TEXT NOT NULL DEFAULT '{}',
  retries_by_class TEXT NOT NULL DEFAULT '{}',
  finish_seq INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  running_since INTEGER NOT NULL,
  finished_at INTEGER,
  simulated INTEGER NOT NULL,
  meta TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS store_jobs_by_created ON store_jobs (created_at);
CREATE INDEX IF NOT EXISTS store_jobs_by_sheet ON store_jobs (sheet_key, created_at);

CREATE TABLE IF NOT EXISTS store_rows (
  job_id TEXT NOT NULL REFERENCES store_jobs (id),
  row_id TEXT NOT NULL,
  row_number INTEGER NOT NULL,
  inputs TEXT NOT NULL,
  input_hash TEXT NOT NULL,
  status TEXT NOT NULL,
  dispatched INTEGER NOT NULL DEFAULT 0,
  dispatch_seq INTEGER NOT NULL DEFAULT 0,
  attempt INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER,
  lease_seq INTEGER NOT NULL DEFAULT 0,
  reserved_nanos INTEGER NOT NULL DEFAULT 0,
  outputs TEXT,
  cached INTEGER NOT NULL DEFAULT 0,
  error_class TEXT,
  error_message TEXT,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  cached_input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cost_nanos INTEGER NOT NULL DEFAULT 0,
  flushed INTEGER NOT NULL DEFAULT 0,
  finished_at INTEGER,
  finish_seq INTEGER,
  PRIMARY KEY (job_id, row_id)
);
CREATE INDEX IF NOT EXISTS store_rows_by_number ON store_rows (job_id, row_number);
-- Dispatch reads (job, 'queued', undispatched) in row order; expiry and stale checks read the small running/dispatched sets.
CREATE INDEX IF NOT EXISTS store_rows_by_state ON store_rows (job_id, status, dispatched, row_number);
-- The pump asks for unflushed results every second or two; this index holds only those, so the ask stays cheap at 100k rows.
CREATE INDEX IF NOT EXISTS store_rows_unflushed ON store_rows (job_id, row_number)
  WHERE flushed = 0 AND status IN ('done', 'failed', 'skipped', 'cancelled');
CREATE INDEX IF NOT EXISTS store_rows_by_finish ON store_rows (job_id, finish_seq) WHERE finish_seq IS NOT NULL;

CREATE TABLE IF NOT EXISTS store_cache (
  key TEXT PRIMARY KEY,
  outputs TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS store_registry (
  sheet_key TEXT NOT NULL,
  row_id TEXT NOT NULL,
  input_hash TEXT NOT NULL,
  config_hash TEXT NOT NULL,
  outputs TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (sheet_key, row_id)
) WITHOUT ROWID;
`;

/**
 * Brings the file up to STORE_SCHEMA_VERSION. Runs under an immediate transaction so several processes opening the
 * same file at once serialize instead of racing; refuses a file written by a newer build rather than misreading it.
 */
export function migrateStoreSchema(db: SqliteDatabase): void {
  const migrate = db.transaction(() => {
    db.exec(DDL);
    const row = db.prepare<[], { value: string }>(`SELECT value FROM store_meta WHERE key = 'schema_version'`).get();
    const found = row === undefined ? undefined : Number(row.value);
    if (found === undefined) {
      db.prepare(`INSERT INTO store_meta (key, value) VALUES ('schema_version', ?)`).run(String(STORE_SCHEMA_VERSION));
    } else if (found > STORE_SCHEMA_VERSION) {
      throw new Error(`store schema version ${found} is newer than this build supports (${STORE_SCHEMA_VERSION})`);
    }
  });
  migrate.immediate();
}
