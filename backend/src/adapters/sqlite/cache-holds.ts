// Single flight per cache key on SQLite: a hold table beside the cache, taken and released inside the store's write transactions.
import type { Outputs } from '../../ports/domain.js';
import type { CacheHoldRequest, CacheHoldResult } from '../../ports/store.js';
import type { SqliteDatabase } from './database.js';
import { checkHoldRequest } from '../../engine/store-arguments.js';

/** Additive DDL (no schema version bump): a build without holds never reads the table, so old and new builds share a file. */
export const CACHE_HOLDS_DDL = `
CREATE TABLE IF NOT EXISTS store_cache_holds (
  key TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  held_since INTEGER NOT NULL,
  held_until INTEGER NOT NULL
) WITHOUT ROWID;
`;

export function prepareHoldStatements(db: SqliteDatabase) {
  db.exec(CACHE_HOLDS_DDL);
  return {
    getCache: db.prepare<[string], { outputs: string; expires_at: number }>(`SELECT outputs, expires_at FROM store_cache WHERE key = ?`),
    getHold: db.prepare<[string], { holder: string; held_since: number; held_until: number }>(
      `SELECT holder, held_since, held_until FROM store_cache_holds WHERE key = ?`,
    ),
    putHold: db.prepare<[string, string, number, number]>(
      `INSERT INTO store_cache_holds (key, holder, held_since, held_until) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, held_since = excluded.held_since, held_until = excluded.held_until`,
    ),
    releaseHold: db.prepare<[string, string]>(`DELETE FROM store_cache_holds WHERE key = ? AND holder = ?`),
  };
}

export type HoldStatements = ReturnType<typeof prepareHoldStatements>;

/** Runs inside an immediate transaction: the read of the cache and hold and the write of the hold are one step. */
export function holdCacheKey(s: HoldStatements, request: CacheHoldRequest): CacheHoldResult {
  const { key, holder, now, holdMs } = request;
  checkHoldRequest(request);
  const entry = s.getCache.get(key);
  if (entry !== undefined && entry.expires_at > now && entry.expires_at >= (request.minExpiresAt ?? 0)) {
    return { kind: 'cached', entry: { outputs: JSON.parse(entry.outputs) as Outputs, expiresAt: entry.expires_at } };
  }
  const hold = s.getHold.get(key);
  if (hold !== undefined && hold.holder !== holder && hold.held_until > now) {
    return { kind: 'busy', heldSince: hold.held_since, heldUntil: hold.held_until };
  }
  // A renewal by the same holder keeps when it first took the key: waiters pace themselves by how long it has been held.
  const since = hold !== undefined && hold.holder === holder && hold.held_until > now ? hold.held_since : now;
  s.putHold.run(key, holder, since, now + holdMs);
  return { kind: 'held', until: now + holdMs };
}

export function releaseCacheHold(s: HoldStatements, key: string, holder: string): boolean {
  return s.releaseHold.run(key, holder).changes > 0;
}
