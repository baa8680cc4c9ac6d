// The LocalQueue's options: what each one means, its default, and the checks that reject a bad value at construction.
import type { Clock, Random } from '../../ports/clock.js';
import type { DeliveredTask } from '../../ports/queue.js';
import type { SqliteDatabase } from '../sqlite/database.js';
import { systemClock } from '../system-clock/system-clock.js';

/** The slice of a pino logger the queue uses; it logs task names and error class names, never messages or payloads. */
export interface QueueLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface LocalQueueOptions {
  /** The SQLite connection from `openDatabase()`, shared with the store. The queue keeps its tasks in its own table, `queue_tasks`. */
  readonly db: SqliteDatabase;
  /** Time and waiting. Default: the system clock. */
  readonly clock?: Clock;
  /** Uniform random in [0, 1), for backoff jitter. Default: `Math.random`. */
  readonly random?: Random;
  /**
   * Token-bucket rate of new deliveries, like Cloud Tasks' `maxDispatchesPerSecond`. A finite number above 0. Default 500.
   * Up to a tenth of a second's worth (at least 1) may go out back to back after an idle spell.
   */
  readonly maxDispatchesPerSecond?: number;
  /** Handler calls in flight at once in this process, like Cloud Tasks' `maxConcurrentDispatches`. An integer from 1 up, or Infinity. Default 1000. */
  readonly maxConcurrentDispatches?: number;
  /** Deliveries per task before it is dropped; -1 means unlimited, like Cloud Tasks. An integer from 1 up, or -1. Default -1. */
  readonly maxAttempts?: number;
  /** First retry's backoff (ms). At least 0 and at most `maxBackoffMs`. Default 100. */
  readonly minBackoffMs?: number;
  /** Longest backoff between retries (ms). Default 3_600_000 (1 h). */
  readonly maxBackoffMs?: number;
  /** How many times the backoff doubles before it grows linearly, as in Cloud Tasks. An integer from 0 up. Default 16. */
  readonly maxDoublings?: number;
  /** A delivery whose outcome is not recorded this long after dispatch is considered lost and delivered again (ms). Default 600_000 (10 min). */
  readonly dispatchDeadlineMs?: number;
  /** How long a completed or dropped task's name still deduplicates enqueues (ms). At least 0. Default 3_600_000 (1 h). */
  readonly tombstoneMs?: number;
  /** How often an idle queue looks for due tasks another connection may have enqueued (ms). Enqueues through this queue wake it at once. Default 100. */
  readonly pollIntervalMs?: number;
  /**
   * Treat every delivered-but-unacknowledged task in the file as lost right away, instead of after its dispatch deadline.
   * Safe when this is the only process using the file (the embedded default), which is what makes a restart resume at once. Default false.
   */
  readonly recoverInFlight?: boolean;
  /** Called after a task that used up `maxAttempts` has been dropped; `reason` is the last retry outcome's reason. */
  readonly onDropped?: (task: DeliveredTask, reason: string | undefined) => void;
  /** Where to warn about handlers that throw. Default: nowhere. */
  readonly logger?: QueueLogger;
}

export interface ResolvedLocalQueueOptions {
  readonly db: SqliteDatabase;
  readonly clock: Clock;
  readonly random: Random;
  readonly maxDispatchesPerSecond: number;
  readonly maxConcurrentDispatches: number;
  readonly maxAttempts: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxDoublings: number;
  readonly dispatchDeadlineMs: number;
  readonly tombstoneMs: number;
  readonly pollIntervalMs: number;
  readonly recoverInFlight: boolean;
  readonly onDropped: ((task: DeliveredTask, reason: string | undefined) => void) | undefined;
  readonly logger: QueueLogger | undefined;
}

export const LOCAL_QUEUE_DEFAULTS = {
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
} as const;

function describe(value: unknown): string {
  return `\`${String(value)}\` (${typeof value})`;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function resolveLocalQueueOptions(options: LocalQueueOptions): ResolvedLocalQueueOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}`);
  }
  const d = LOCAL_QUEUE_DEFAULTS;
  const resolved: ResolvedLocalQueueOptions = {
    db: options.db,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    maxDispatchesPerSecond: options.maxDispatchesPerSecond ?? d.maxDispatchesPerSecond,
    maxConcurrentDispatches: options.maxConcurrentDispatches ?? d.maxConcurrentDispatches,
    maxAttempts: options.maxAttempts ?? d.maxAttempts,
    minBackoffMs: options.minBackoffMs ?? d.minBackoffMs,
    maxBackoffMs: options.maxBackoffMs ?? d.maxBackoffMs,
    maxDoublings: options.maxDoublings ?? d.maxDoublings,
    dispatchDeadlineMs: options.dispatchDeadlineMs ?? d.dispatchDeadlineMs,
    tombstoneMs: options.tombstoneMs ?? d.tombstoneMs,
    pollIntervalMs: options.pollIntervalMs ?? d.pollIntervalMs,
    recoverInFlight: options.recoverInFlight ?? d.recoverInFlight,
    onDropped: options.onDropped,
    logger: options.logger,
  };
  validate(resolved);
  return resolved;
}

function validate(o: ResolvedLocalQueueOptions): void {
  if (typeof o.db !== 'object' || o.db === null || typeof o.db.prepare !== 'function') {
    throw new TypeError(`Expected \`db\` to be a better-sqlite3 Database from openDatabase(), got ${describe(o.db)}`);
  }
  if (typeof o.clock?.now !== 'function' || typeof o.clock.sleep !== 'function') {
    throw new TypeError(`Expected \`clock\` to be a Clock with now() and sleep(), got ${describe(o.clock)}`);
  }
  if (typeof o.random !== 'function') {
    throw new TypeError(`Expected \`random\` to be a function, got ${describe(o.random)}`);
  }
  // A rate cap must stay finite: slowing down on 429 halves it, and half of Infinity is no slower.
  if (!isFiniteNumber(o.maxDispatchesPerSecond) || o.maxDispatchesPerSecond <= 0) {
    throw new TypeError(`Expected \`maxDispatchesPerSecond\` to be a finite number above 0, got ${describe(o.maxDispatchesPerSecond)}`);
  }
  const concurrency = o.maxConcurrentDispatches;
  if (!(concurrency === Number.POSITIVE_INFINITY || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw new TypeError(`Expected \`maxConcurrentDispatches\` to be an integer from 1 and up or \`Infinity\`, got ${describe(concurrency)}`);
  }
  if (!(o.maxAttempts === -1 || (Number.isInteger(o.maxAttempts) && o.maxAttempts >= 1))) {
    throw new TypeError(`Expected \`maxAttempts\` to be an integer from 1 and up, or -1 for unlimited, got ${describe(o.maxAttempts)}`);
  }
  if (!isFiniteNumber(o.minBackoffMs) || o.minBackoffMs < 0) {
    throw new TypeError(`Expected \`minBackoffMs\` to be a finite number from 0 and up, got ${describe(o.minBackoffMs)}`);
  }
  if (!isFiniteNumber(o.maxBackoffMs) || o.maxBackoffMs < 0) {
    throw new TypeError(`Expected \`maxBackoffMs\` to be a finite number from 0 and up, got ${describe(o.maxBackoffMs)}`);
  }
  if (o.minBackoffMs > o.maxBackoffMs) {
    throw new RangeError(`Expected \`minBackoffMs\` (${o.minBackoffMs}) to be at most \`maxBackoffMs\` (${o.maxBackoffMs})`);
  }
  if (!Number.isInteger(o.maxDoublings) || o.maxDoublings < 0) {
    throw new TypeError(`Expected \`maxDoublings\` to be an integer from 0 and up, got ${describe(o.maxDoublings)}`);
  }
  if (!isFiniteNumber(o.dispatchDeadlineMs) || o.dispatchDeadlineMs <= 0) {
    throw new TypeError(`Expected \`dispatchDeadlineMs\` to be a finite number above 0, got ${describe(o.dispatchDeadlineMs)}`);
  }
  if (!isFiniteNumber(o.tombstoneMs) || o.tombstoneMs < 0) {
    throw new TypeError(`Expected \`tombstoneMs\` to be a finite number from 0 and up, got ${describe(o.tombstoneMs)}`);
  }
  if (!isFiniteNumber(o.pollIntervalMs) || o.pollIntervalMs < 1) {
    throw new TypeError(`Expected \`pollIntervalMs\` to be a finite number from 1 and up, got ${describe(o.pollIntervalMs)}`);
  }
  if (typeof o.recoverInFlight !== 'boolean') {
    throw new TypeError(`Expected \`recoverInFlight\` to be a boolean, got ${describe(o.recoverInFlight)}`);
  }
  if (o.onDropped !== undefined && typeof o.onDropped !== 'function') {
    throw new TypeError(`Expected \`onDropped\` to be a function, got ${describe(o.onDropped)}`);
  }
  if (o.logger !== undefined && typeof o.logger?.warn !== 'function') {
    throw new TypeError(`Expected \`logger\` to have a warn() method, got ${describe(o.logger)}`);
  }
}
