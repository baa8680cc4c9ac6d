// The single-flight rule for a cache key, decided once for every store: use the stored answer, wait for its holder, or take the key.
import type { CacheHoldRequest } from '../ports/store.js';

/** Who holds a key to compute it, since when, and until when the hold lasts if not renewed or released. */
export interface KeyHold {
  readonly holder: string;
  readonly heldSince: number;
  readonly heldUntil: number;
}

export type CacheHoldDecision =
  /** The stored answer is fresh enough: use it, write nothing. */
  | { readonly kind: 'cached' }
  /** Another holder's hold is live: write nothing. */
  | { readonly kind: 'busy'; readonly heldSince: number; readonly heldUntil: number }
  /** Write this hold: the key was free, its hold lapsed, or `holder` renews its own. */
  | { readonly kind: 'held'; readonly hold: KeyHold };

/**
 * `entry` and `hold` are what the store read at one instant (absent: undefined). An entry counts only if it outlives
 * `now` and `minExpiresAt` (a forced job accepts only answers stored after it began).
 */
export function decideCacheHold(entry: { readonly expiresAt: number } | undefined, hold: KeyHold | undefined, request: CacheHoldRequest): CacheHoldDecision {
  const { holder, now, holdMs } = request;
  if (entry !== undefined && entry.expiresAt > now && entry.expiresAt >= (request.minExpiresAt ?? 0)) return { kind: 'cached' };
  const live = hold !== undefined && hold.heldUntil > now;
  if (live && hold.holder !== holder) return { kind: 'busy', heldSince: hold.heldSince, heldUntil: hold.heldUntil };
  // A renewal by the same holder keeps when it first took the key: waiters pace themselves by how long it has been held.
  return { kind: 'held', hold: { holder, heldSince: live ? hold.heldSince : now, heldUntil: now + holdMs } };
}
