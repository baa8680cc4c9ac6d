// The single-flight rule for a cache key on its own: stored answer, busy key, free, lapsed or renewed hold.
import { describe, expect, it } from 'vitest';
import { decideCacheHold } from '../../../backend/src/domain/row-transitions-cache-hold.js';

const NOW = 5_000;
const request = { key: 'k', holder: 'me', now: NOW, holdMs: 100 };

describe('decideCacheHold', () => {
  it('uses a stored answer that outlives now and minExpiresAt, even when the key is held', () => {
    expect(decideCacheHold({ expiresAt: NOW + 1 }, { holder: 'other', heldSince: 0, heldUntil: NOW + 50 }, request)).toEqual({ kind: 'cached' });
    expect(decideCacheHold({ expiresAt: NOW + 1 }, undefined, { ...request, minExpiresAt: NOW + 1 })).toEqual({ kind: 'cached' });
  });

  it('ignores an expired answer, or one older than minExpiresAt (a forced job)', () => {
    expect(decideCacheHold({ expiresAt: NOW }, undefined, request).kind).toBe('held');
    expect(decideCacheHold({ expiresAt: NOW + 1 }, undefined, { ...request, minExpiresAt: NOW + 2 }).kind).toBe('held');
  });

  it("is busy while another holder's hold is live", () => {
    expect(decideCacheHold(undefined, { holder: 'other', heldSince: 10, heldUntil: NOW + 1 }, request)).toEqual({ kind: 'busy', heldSince: 10, heldUntil: NOW + 1 });
  });

  it('takes a free or lapsed key from now; a renewal keeps when the holder first took it', () => {
    expect(decideCacheHold(undefined, undefined, request)).toEqual({ kind: 'held', hold: { holder: 'me', heldSince: NOW, heldUntil: NOW + 100 } });
    expect(decideCacheHold(undefined, { holder: 'other', heldSince: 10, heldUntil: NOW }, request)).toEqual({ kind: 'held', hold: { holder: 'me', heldSince: NOW, heldUntil: NOW + 100 } });
    expect(decideCacheHold(undefined, { holder: 'me', heldSince: 10, heldUntil: NOW + 1 }, request)).toEqual({ kind: 'held', hold: { holder: 'me', heldSince: 10, heldUntil: NOW + 100 } });
  });
});
