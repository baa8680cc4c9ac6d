// Single flight per cache key on Firestore: a hold document per key, taken by an optimistic commit that pins it.
import type { Outputs } from '../../ports/domain.js';
import type { CacheHoldRequest, CacheHoldResult, FinishRequest } from '../../ports/store.js';
import { decideCacheHold } from '../../domain/row-transitions-cache-hold.js';
import type { StoreContext } from './context.js';
import type { Attempt } from './occ.js';
import type { CacheDoc, CacheHoldDoc, RegistryDoc } from './records.js';
import { SCHEMA } from './records.js';
import { assertTime, checkHoldRequest } from '../../domain/store-arguments.js';

/**
 * Reads the answer and the hold at one instant; takes the hold with a commit pinned on the hold document, so of many
 * racing holders one commit lands and the rest re-run on fresh reads and find it busy. A stored answer or a busy key
 * writes nothing. The answer document is not pinned: an answer stored just after the read costs one redundant call
 * at worst, never a wrong result, and pinning it would add a write to every hold.
 */
export async function holdCacheKey(ctx: StoreContext, request: CacheHoldRequest): Promise<CacheHoldResult> {
  const { key } = request;
  checkHoldRequest(request);
  const { layout } = ctx;
  return ctx.mutex.run(`hold:${key}`, () =>
    ctx.occ('holdCacheKey', async (attempt) => {
      // One snapshot of both: read apart, a holder's commit (answer stored, hold released) could fall between them.
      const [entrySnapshot, holdSnapshot] = await attempt.getAll([layout.cache(key), layout.cacheHold(key)], { pin: false });
      attempt.pin(holdSnapshot!.ref);
      const stored = entrySnapshot!.data() as CacheDoc | undefined;
      const entry = stored !== undefined && stored.key === key ? stored : undefined;
      const hold = holdSnapshot!.data() as CacheHoldDoc | undefined;
      const decision = decideCacheHold(entry, hold, request);
      if (decision.kind === 'cached') return { kind: 'cached', entry: { outputs: JSON.parse(entry!.outputs) as Outputs, expiresAt: entry!.expiresAt } } as const;
      if (decision.kind === 'busy') return decision;
      const doc: CacheHoldDoc = { schema: SCHEMA, key, ...decision.hold };
      if (hold === undefined) attempt.create(holdSnapshot!.ref, doc);
      else attempt.update(holdSnapshot!.ref, doc);
      return { kind: 'held', until: decision.hold.heldUntil } as const;
    }),
  );
}

export async function releaseCacheHold(ctx: StoreContext, key: string, holder: string): Promise<boolean> {
  return ctx.occ('releaseCacheHold', (attempt) => releaseInCommit(ctx, attempt, { key, holder }));
}

/** Adds the hold's release to a step's commit when `holder` still holds it; another holder's hold is neither written nor pinned. */
export async function releaseInCommit(ctx: StoreContext, attempt: Attempt, hold: { readonly key: string; readonly holder: string }): Promise<boolean> {
  const ref = ctx.layout.cacheHold(hold.key);
  const [snapshot] = await attempt.getAll([ref], { pin: false });
  const doc = snapshot!.data() as CacheHoldDoc | undefined;
  if (doc === undefined || doc.key !== hold.key || doc.holder !== hold.holder) return false;
  attempt.pin(ref);
  attempt.delete(ref);
  return true;
}

/** Adds a finished row's cache and registry entries to its commit (blind writes: the last success wins, as in SQLite). */
export function rememberInCommit(ctx: StoreContext, attempt: Attempt, remember: NonNullable<FinishRequest['remember']>): void {
  const { cache, registry } = remember;
  if (cache) {
    assertTime('expiresAt', cache.entry.expiresAt);
    const doc: CacheDoc = { schema: SCHEMA, key: cache.key, outputs: JSON.stringify(cache.entry.outputs), expiresAt: cache.entry.expiresAt };
    attempt.set(ctx.layout.cache(cache.key), doc);
  }
  if (registry) {
    assertTime('updatedAt', registry.updatedAt);
    const doc: RegistryDoc = { schema: SCHEMA, sheetKey: registry.sheetKey, rowId: registry.rowId, inputHash: registry.inputHash, configHash: registry.configHash, outputs: JSON.stringify(registry.outputs), updatedAt: registry.updatedAt };
    attempt.set(ctx.layout.registry(registry.sheetKey, registry.rowId), doc);
  }
}
