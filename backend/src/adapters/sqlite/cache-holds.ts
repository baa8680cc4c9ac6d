// Single flight per cache key on SQLite: a hold table beside the cache, taken and released inside the store's write transactions.
import type { Outputs } from '../../ports/domain.js';
import type { CacheHoldRequest, CacheHoldResult } from '../../ports/store.js';
import type { SqliteDatabase } from './database.js';
import { decideCacheHold } from '../../domain/row-transitions-cache-hold.js';
import { checkHoldRequest } from '../../domain/store-arguments.js';

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
  checkHoldRequest(request);
  const entry = s.getCache.get(request.key);
  const hold = s.getHold.get(request.key);
  const decision = decideCacheHold(
    entry && { expiresAt: entry.expires_at },
    hold && { holder: hold.holder, heldSince: hold.held_since, heldUntil: hold.held_until },
    request,
  );
  if (decision.kind === 'cached') return { kind: 'cached', entry: { outputs: JSON.parse(entry!.outputs) as Outputs, expiresAt: entry!.expires_at } };
  if (decision.kind === 'busy') return decision;
  s.putHold.run(request.key, decision.hold.holder, decision.hold.heldSince, decision.hold.heldUntil);
  return { kind: 'held', until: decision.hold.heldUntil };
}

export function releaseCacheHold(s: HoldStatements, key: string, holder: string): boolean {
  return s.releaseHold.run(key, holder).changes > 0;
}
