// Creates (idempotently) cheap mode's tables beside the store's: a file written before cheap mode gains them, unchanged otherwise.
import type { SqliteDatabase } from './database.js';

/** Bump when the layout of the batch tables changes, and add a step to `migrateBatchSchema`. */
export const BATCH_SCHEMA_VERSION = 1;

/**
 * One record per provider batch and one line per row it carries. The rows' own state stays in store_rows: a batch
 * row only says which claim (lease token) the batch may finish.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS store_batches (
  job_id TEXT NOT NULL REFERENCES store_jobs (id),
  seq INTEGER NOT NULL,
  filename TEXT NOT NULL,
  phase TEXT NOT NULL,
  file_id TEXT,
  batch_id TEXT,
  provider_status TEXT,
  row_count INTEGER NOT NULL,
  reserved_nanos INTEGER NOT NULL,
  tokens INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER,
  next_poll_at INTEGER NOT NULL DEFAULT 0,
  polls INTEGER NOT NULL DEFAULT 0,
  message TEXT,
  PRIMARY KEY (job_id, seq)
);
CREATE TABLE IF NOT EXISTS store_batch_rows (
  job_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  row_id TEXT NOT NULL,
  dispatch_seq INTEGER NOT NULL,
  lease_token INTEGER NOT NULL,
  reserved_nanos INTEGER NOT NULL,
  PRIMARY KEY (job_id, seq, ord)
);
`;

/** Under an immediate transaction (several processes may open the file at once); refuses a newer layout. */
export function migrateBatchSchema(db: SqliteDatabase): void {
  const migrate = db.transaction(() => {
    db.exec(DDL);
    const row = db.prepare<[], { value: string }>(`SELECT value FROM store_meta WHERE key = 'batch_schema_version'`).get();
    const found = row === undefined ? undefined : Number(row.value);
    if (found === undefined) db.prepare(`INSERT INTO store_meta (key, value) VALUES ('batch_schema_version', ?)`).run(String(BATCH_SCHEMA_VERSION));
    else if (found > BATCH_SCHEMA_VERSION) throw new Error(`batch schema version ${found} is newer than this build supports (${BATCH_SCHEMA_VERSION})`);
  });
  migrate.immediate();
}
