// Unit tests for LocalQueue options: documented defaults, and the exact message each bad value is rejected with.
import { describe, expect, it } from 'vitest';
import { LOCAL_QUEUE_DEFAULTS, resolveLocalQueueOptions, type LocalQueueOptions } from '../../../../backend/src/adapters/local-queue/options.js';
import { systemClock } from '../../../../backend/src/adapters/system-clock/system-clock.js';
import { openDatabase } from '../../../../backend/src/adapters/sqlite/database.js';

const db = openDatabase({ path: ':memory:' });
const withDb = (extra: Partial<LocalQueueOptions>): LocalQueueOptions => ({ db, ...extra });

describe('resolveLocalQueueOptions', () => {
  it('fills in the documented Cloud Tasks-like defaults', () => {
    const resolved = resolveLocalQueueOptions({ db });
    expect(resolved).toMatchObject({
      maxDispatchesPerSecond: 500,
      maxConcurrentDispatches: 1000,
      maxAttempts: -1,
      minBackoffMs: 100,
      maxBackoffMs: 3_600_000,
      maxDoublings: 16,
      dispatchDeadlineMs: 600_000,
      tombstoneMs: 3_600_000,
      pollIntervalMs: 100,
      recoverInFlight: false,
    });
    expect(resolved).toMatchObject(LOCAL_QUEUE_DEFAULTS);
    expect(resolved.clock).toBe(systemClock);
    expect(resolved.random).toBe(Math.random);
  });

  it('keeps the values it is given', () => {
    const resolved = resolveLocalQueueOptions(withDb({ maxDispatchesPerSecond: 3000, maxConcurrentDispatches: Infinity, maxAttempts: 5 }));
    expect(resolved).toMatchObject({ maxDispatchesPerSecond: 3000, maxConcurrentDispatches: Infinity, maxAttempts: 5 });
  });

  it.each<[Partial<LocalQueueOptions>, string]>([
    [{ maxDispatchesPerSecond: 0 }, 'Expected `maxDispatchesPerSecond` to be a finite number above 0, got `0` (number)'],
    [{ maxDispatchesPerSecond: Infinity }, 'Expected `maxDispatchesPerSecond` to be a finite number above 0, got `Infinity` (number)'],
    [{ maxConcurrentDispatches: 1.5 }, 'Expected `maxConcurrentDispatches` to be an integer from 1 and up or `Infinity`, got `1.5` (number)'],
    [{ maxConcurrentDispatches: 0 }, 'Expected `maxConcurrentDispatches` to be an integer from 1 and up or `Infinity`, got `0` (number)'],
    [{ maxAttempts: 0 }, 'Expected `maxAttempts` to be an integer from 1 and up, or -1 for unlimited, got `0` (number)'],
    [{ minBackoffMs: -1 }, 'Expected `minBackoffMs` to be a finite number from 0 and up, got `-1` (number)'],
    [{ maxBackoffMs: Number.NaN }, 'Expected `maxBackoffMs` to be a finite number from 0 and up, got `NaN` (number)'],
    [{ minBackoffMs: 500, maxBackoffMs: 100 }, 'Expected `minBackoffMs` (500) to be at most `maxBackoffMs` (100)'],
    [{ maxDoublings: -1 }, 'Expected `maxDoublings` to be an integer from 0 and up, got `-1` (number)'],
    [{ dispatchDeadlineMs: 0 }, 'Expected `dispatchDeadlineMs` to be a finite number above 0, got `0` (number)'],
    [{ tombstoneMs: -1 }, 'Expected `tombstoneMs` to be a finite number from 0 and up, got `-1` (number)'],
    [{ pollIntervalMs: 0 }, 'Expected `pollIntervalMs` to be a finite number from 1 and up, got `0` (number)'],
    [{ recoverInFlight: 'yes' as unknown as boolean }, 'Expected `recoverInFlight` to be a boolean, got `yes` (string)'],
    [{ random: 3 as unknown as () => number }, 'Expected `random` to be a function, got `3` (number)'],
  ])('rejects %o with an exact message', (extra, message) => {
    expect(() => resolveLocalQueueOptions(withDb(extra))).toThrow(message);
  });

  it('rejects a missing database', () => {
    expect(() => resolveLocalQueueOptions({} as LocalQueueOptions)).toThrow(
      'Expected `db` to be a better-sqlite3 Database from openDatabase(), got `undefined` (undefined)',
    );
  });
});
