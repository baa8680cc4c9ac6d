// Opens the embedded SQLite file the store and the local queue share, with the pragmas that make it crash-safe and fast.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /** File path, or ':memory:' for tests. Parent folders are created. */
  readonly path: string;
  /** How long a writer waits for another connection's lock before failing (ms). Default 5000. */
  readonly busyTimeoutMs?: number;
}

/**
 * WAL lets readers run beside the single writer; synchronous=NORMAL keeps every committed transaction across a
 * process crash (kill -9), losing at most the last commits only on power loss — the right trade for a local tool.
 */
export function openDatabase(options: OpenDatabaseOptions): SqliteDatabase {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  return db;
}
