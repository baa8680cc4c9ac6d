// Unit tests for the queue table: name dedup and tombstones, claim order and fencing, recovery, purge.
import { beforeEach, describe, expect, it } from 'vitest';
import { TaskTable } from '../../../../backend/src/adapters/local-queue/task-table.js';
import { openDatabase, type SqliteDatabase } from '../../../../backend/src/adapters/sqlite/database.js';
import type { TaskSpec } from '../../../../backend/src/ports/queue.js';

const now = 1_000_000;
const task = (name: string, scheduleAt?: number): TaskSpec => ({ name, kind: 'row', payload: { jobId: 'j', rowId: name }, ...(scheduleAt === undefined ? {} : { scheduleAt }) });

describe('TaskTable', () => {
  let db: SqliteDatabase;
  let table: TaskTable;
  beforeEach(() => {
    db = openDatabase({ path: ':memory:' });
    table = new TaskTable(db);
  });

  it('creates its table idempotently beside other tables in the same file', () => {
    db.exec('CREATE TABLE jobs (id TEXT PRIMARY KEY)');
    table.enqueue([task('a')], now);
    const again = new TaskTable(db);
    expect(again.countPending()).toBe(1);
  });

  it('counts only new names as enqueued, including duplicates inside one batch', () => {
    expect(table.enqueue([task('a'), task('b'), task('a')], now)).toBe(2);
    expect(table.enqueue([task('b'), task('c')], now)).toBe(1);
    expect(table.countPending()).toBe(3);
  });

  it('claims due tasks earliest schedule first and leaves future ones', () => {
    table.enqueue([task('late', now + 50), task('mid', now - 10), task('early', now - 20), task('future', now + 1000)], now);
    const claimed = table.claimDue(now + 50, 10, now + 60_000);
    expect(claimed.map((c) => c.name)).toEqual(['early', 'mid', 'late']);
    expect(claimed.every((c) => c.attempt === 1)).toBe(true);
    expect(claimed[0]!.payload).toEqual({ jobId: 'j', rowId: 'early' });
  });

  it('rounds a fractional schedule time up so a task never runs early', () => {
    table.enqueue([task('a', now + 0.2)], now);
    expect(table.claimDue(now, 10, now + 1000)).toEqual([]);
    expect(table.claimDue(now + 1, 10, now + 1000)).toHaveLength(1);
  });

  it('claims no more than the limit', () => {
    table.enqueue(Array.from({ length: 10 }, (_, i) => task(`t${i}`)), now);
    expect(table.claimDue(now, 4, now + 1000)).toHaveLength(4);
    expect(table.claimDue(now, 100, now + 1000)).toHaveLength(6);
  });

  it('does not claim a delivered task again before its deadline, and does after it', () => {
    table.enqueue([task('a')], now);
    const [first] = table.claimDue(now, 10, now + 1000);
    expect(table.claimDue(now + 999, 10, now + 2000)).toEqual([]);
    const [second] = table.claimDue(now + 1000, 10, now + 2000);
    expect(second).toMatchObject({ name: 'a', attempt: 2 });
    expect(first!.attempt).toBe(1);
  });

  it('ignores the outcome of a delivery that was superseded by a redelivery', () => {
    table.enqueue([task('a')], now);
    const [stale] = table.claimDue(now, 10, now + 1000);
    const [current] = table.claimDue(now + 1000, 10, now + 2000);
    expect(table.record([{ type: 'complete', task: stale! }], now + 1500, 60_000)).toEqual([]);
    expect(table.record([{ type: 'complete', task: current! }], now + 1500, 60_000)).toHaveLength(1);
  });

  it('reschedules a retried task for its next run time', () => {
    table.enqueue([task('a')], now);
    const [claimed] = table.claimDue(now, 10, now + 60_000);
    table.record([{ type: 'retry', task: claimed!, runAt: now + 500 }], now, 60_000);
    expect(table.claimDue(now + 499, 10, now + 60_000)).toEqual([]);
    expect(table.claimDue(now + 500, 10, now + 60_000)).toMatchObject([{ name: 'a', attempt: 2 }]);
  });

  it('keeps a completed name as a tombstone that deduplicates until it expires', () => {
    table.enqueue([task('a')], now);
    const [claimed] = table.claimDue(now, 10, now + 60_000);
    table.record([{ type: 'complete', task: claimed! }], now, 1000);
    expect(table.enqueue([task('a')], now + 999)).toBe(0);
    expect(table.nextDueAt()).toBeUndefined();
    expect(table.enqueue([task('a')], now + 1000)).toBe(1);
    expect(table.claimDue(now + 1000, 10, now + 60_000)).toMatchObject([{ name: 'a', attempt: 1 }]);
  });

  it('treats a dropped task like a completed one', () => {
    table.enqueue([task('a')], now);
    const [claimed] = table.claimDue(now, 10, now + 60_000);
    expect(table.record([{ type: 'drop', task: claimed!, reason: 'server' }], now, 1000)).toHaveLength(1);
    expect(table.enqueue([task('a')], now + 1)).toBe(0);
    expect(table.countPending()).toBe(0);
  });

  it('purges expired tombstones only', () => {
    table.enqueue([task('a'), task('b')], now);
    const claimed = table.claimDue(now, 10, now + 60_000);
    table.record([{ type: 'complete', task: claimed[0]! }], now, 1000);
    table.record([{ type: 'complete', task: claimed[1]! }], now + 5000, 1000);
    expect(table.purgeTombstones(now + 1000, 100)).toBe(1);
    expect(table.enqueue([task('b')], now + 5500)).toBe(0);
  });

  it('makes every delivered task due at once on recovery', () => {
    table.enqueue([task('a'), task('b')], now);
    table.claimDue(now, 10, now + 600_000);
    expect(table.recoverInFlight(now + 1)).toBe(2);
    expect(table.claimDue(now + 1, 10, now + 600_000).map((c) => c.attempt)).toEqual([2, 2]);
  });

  it('reports when the earliest unfinished task next needs attention', () => {
    expect(table.nextDueAt()).toBeUndefined();
    table.enqueue([task('a', now + 300), task('b', now + 100)], now);
    expect(table.nextDueAt()).toBe(now + 100);
  });
});
