// The cross-job result cache (with expiry) and the skip-unchanged registry, each keyed by a hash of its natural key.
import type { Outputs } from '../../ports/domain.js';
import type { CacheEntry, RegistryEntry } from '../../ports/store.js';
import type { StoreContext } from './context.js';
import type { CacheDoc, RegistryDoc } from './records.js';
import { SCHEMA } from './records.js';
import { assertTime } from '../../domain/store-arguments.js';

/** An expired entry is a miss, deleted on the way (only if unchanged, so a fresh entry put meanwhile survives). */
export async function getCache(ctx: StoreContext, key: string, now: number): Promise<CacheEntry | undefined> {
  assertTime('now', now);
  const snapshot = await ctx.layout.cache(key).get();
  const doc = snapshot.data() as CacheDoc | undefined;
  if (doc === undefined || doc.key !== key) return undefined;
  if (doc.expiresAt <= now) {
    await snapshot.ref.delete({ lastUpdateTime: snapshot.updateTime! }).catch(() => undefined);
    return undefined;
  }
  return { outputs: JSON.parse(doc.outputs) as Outputs, expiresAt: doc.expiresAt };
}

export async function putCache(ctx: StoreContext, key: string, entry: CacheEntry): Promise<void> {
  assertTime('expiresAt', entry.expiresAt);
  const doc: CacheDoc = { schema: SCHEMA, key, outputs: JSON.stringify(entry.outputs), expiresAt: entry.expiresAt };
  await ctx.layout.cache(key).set(doc);
}

export async function getRegistry(ctx: StoreContext, sheetKey: string, rowIds: readonly string[]): Promise<Map<string, RegistryEntry>> {
  const found = new Map<string, RegistryEntry>();
  for (let i = 0; i < rowIds.length; i += 300) {
    const snapshots = await ctx.db.getAll(...rowIds.slice(i, i + 300).map((rowId) => ctx.layout.registry(sheetKey, rowId)));
    for (const snapshot of snapshots) {
      const doc = snapshot.data() as RegistryDoc | undefined;
      if (doc === undefined || doc.sheetKey !== sheetKey) continue;
      const { sheetKey: key, rowId, inputHash, configHash, outputs, updatedAt } = doc;
      found.set(rowId, { sheetKey: key, rowId, inputHash, configHash, outputs: JSON.parse(outputs) as Outputs, updatedAt });
    }
  }
  return found;
}
