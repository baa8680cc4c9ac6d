// The queue's SQLite table and every statement on it: enqueue with name dedup, batch claims, batch outcomes, tombstones.
import type { Statement, Transaction } from 'better-sqlite3';
import type { TaskKind, TaskPayload, TaskSpec } from '../../ports/queue.js';
import type { SqliteDatabase } from '../sqlite/database.js';

/** Stored in `state`. One row per task name: pending, delivered (awaiting its outcome), or a tombstone. */
const PENDING = 0;
const DELIVERED = 1;
const TOMBSTONE = 2;

/**
 * `next_at` is when a row next needs attention, so one ordered index serves dispatch and one serves cleanup:
 * a pending task's schedule time, a delivered task's dispatch deadline (after which it counts as lost and is
 * claimed again), a tombstone's expiry (after which its name may be reused and the row purged).
 * `attempts` is bumped by every claim and is the delivery's fencing token: an outcome only applies while it matches.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS queue_tasks (
  id       INTEGER PRIMARY KEY,
  name     TEXT    NOT NULL UNIQUE,
  kind     TEXT    NOT NULL,
  payload  TEXT    NOT NULL,
  state    INTEGER NOT NULL,
  next_at  INTEGER NOT NULL,
  attempts INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS queue_tasks_due ON queue_tasks (next_at) WHERE state < 2;
CREATE INDEX IF NOT EXISTS queue_tasks_expiry ON queue_tasks (next_at) WHERE state = 2;
`;

/** A task claimed for delivery; `attempt` is its delivery number and the token its outcome must present. */
export interface ClaimedTask {
  readonly id: number;
  readonly name: string;
  readonly kind: TaskKind;
  readonly payload: TaskPayload;
  readonly attempt: number;
}

export type RecordedOutcome =
  | { readonly type: 'complete'; readonly task: ClaimedTask }
  | { readonly type: 'retry'; readonly task: ClaimedTask; readonly runAt: number }
  | { readonly type: 'drop'; readonly task: ClaimedTask; readonly reason: string | undefined };

interface ClaimRow {
  id: number;
  name: string;
  kind: TaskKind;
  payload: string;
  attempts: number;
}

export class TaskTable {
  readonly #insert: Statement<[string, string, string, number, number]>;
  readonly #selectDue: Statement<[number, number], ClaimRow>;
  readonly #markDelivered: Statement<[number, number]>;
  readonly #markOutcome: Statement<[number, number, number, number]>;
  readonly #nextDue: Statement<[], { next: number | null }>;
  readonly #purge: Statement<[number, number]>;
  readonly #recover: Statement<[number]>;
  readonly #countPending: Statement<[], { n: number }>;
  readonly #enqueueTx: Transaction<(tasks: readonly TaskSpec[], now: number) => number>;
  readonly #claimTx: Transaction<(now: number, limit: number, deadline: number) => ClaimedTask[]>;
  readonly #recordTx: Transaction<(outcomes: readonly RecordedOutcome[], now: number, tombstoneMs: number) => RecordedOutcome[]>;

  constructor(db: SqliteDatabase) {
    db.exec(SCHEMA);
    // A name that exists stays untouched, unless it is a tombstone past its expiry: then the name is free again.
    this.#insert = db.prepare(`
      INSERT INTO queue_tasks (name, kind, payload, state, next_at, attempts) VALUES (?, ?, ?, ${PENDING}, ?, 0)
      ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, payload = excluded.payload, state = ${PENDING},
        next_at = excluded.next_at, attempts = 0
      WHERE queue_tasks.state = ${TOMBSTONE} AND queue_tasks.next_at <= ?`);
    this.#selectDue = db.prepare(`
      SELECT id, name, kind, payload, attempts FROM queue_tasks
      WHERE state < 2 AND next_at <= ? ORDER BY next_at LIMIT ?`);
    this.#markDelivered = db.prepare(`UPDATE queue_tasks SET state = ${DELIVERED}, attempts = attempts + 1, next_at = ? WHERE id = ?`);
    this.#markOutcome = db.prepare(`UPDATE queue_tasks SET state = ?, next_at = ? WHERE id = ? AND state = ${DELIVERED} AND attempts = ?`);
    this.#nextDue = db.prepare(`SELECT MIN(next_at) AS next FROM queue_tasks WHERE state < 2`);
    this.#purge = db.prepare(`
      DELETE FROM queue_tasks WHERE id IN (
        SELECT id FROM queue_tasks WHERE state = ${TOMBSTONE} AND next_at <= ? LIMIT ?)`);
    this.#recover = db.prepare(`UPDATE queue_tasks SET state = ${PENDING}, next_at = ? WHERE state = ${DELIVERED}`);
    this.#countPending = db.prepare(`SELECT COUNT(*) AS n FROM queue_tasks WHERE state = ${PENDING}`);

    // Immediate transactions take the write lock up front: a deferred one that reads first can fail to upgrade
    // (SQLITE_BUSY_SNAPSHOT) when another connection wrote in between, and busy_timeout does not retry that.
    this.#enqueueTx = db.transaction((tasks: readonly TaskSpec[], now: number): number => {
      let enqueued = 0;
      for (const task of tasks) {
        // Rounded up: a task must never run before its schedule time.
        const runAt = task.scheduleAt === undefined ? now : Math.ceil(task.scheduleAt);
        enqueued += this.#insert.run(task.name, task.kind, JSON.stringify(task.payload), runAt, now).changes;
      }
      return enqueued;
    });
    this.#claimTx = db.transaction((now: number, limit: number, deadline: number): ClaimedTask[] =>
      this.#selectDue.all(now, limit).map((row) => {
        this.#markDelivered.run(deadline, row.id);
        return { id: row.id, name: row.name, kind: row.kind, payload: JSON.parse(row.payload) as TaskPayload, attempt: row.attempts + 1 };
      }),
    );
    this.#recordTx = db.transaction((outcomes: readonly RecordedOutcome[], now: number, tombstoneMs: number): RecordedOutcome[] => {
      const applied: RecordedOutcome[] = [];
      for (const outcome of outcomes) {
        const { id, attempt } = outcome.task;
        const changes =
          outcome.type === 'retry'
            ? this.#markOutcome.run(PENDING, outcome.runAt, id, attempt).changes
            : this.#markOutcome.run(TOMBSTONE, now + tombstoneMs, id, attempt).changes;
        if (changes > 0) applied.push(outcome);
      }
      return applied;
    });
  }

  /** Inserts every task in one transaction; returns how many names were new (the rest already existed). */
  enqueue(tasks: readonly TaskSpec[], now: number): number {
    return this.#enqueueTx.immediate(tasks, now);
  }

  /**
   * Claims up to `limit` due tasks, earliest first, in one transaction: each is marked delivered with its deadline
   * before any handler sees it, so a crash from here on means redelivery, never loss.
   */
  claimDue(now: number, limit: number, deadline: number): ClaimedTask[] {
    return this.#claimTx.immediate(now, limit, deadline);
  }

  /**
   * Records outcomes in one transaction. An outcome whose delivery was superseded (its deadline passed and the task
   * was claimed again) changes nothing. Returns the outcomes that applied.
   */
  record(outcomes: readonly RecordedOutcome[], now: number, tombstoneMs: number): RecordedOutcome[] {
    return this.#recordTx.immediate(outcomes, now, tombstoneMs);
  }

  /** When the earliest pending or delivered task next needs attention, or undefined when there is none. */
  nextDueAt(): number | undefined {
    return this.#nextDue.get()?.next ?? undefined;
  }

  /** Deletes up to `limit` expired tombstones; returns how many. */
  purgeTombstones(now: number, limit: number): number {
    return this.#purge.run(now, limit).changes;
  }

  /** Makes every delivered-but-unacknowledged task due now; for a process that knows it is the file's only user. */
  recoverInFlight(now: number): number {
    return this.#recover.run(now).changes;
  }

  /** Tasks waiting for a delivery, due or scheduled. */
  countPending(): number {
    return this.#countPending.get()?.n ?? 0;
  }
}
