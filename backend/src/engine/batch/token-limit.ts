// Cheap mode's share of the provider's enqueued-token limit: one limit per model for the account, counted over the open
// batches of every job in the store, and a refused batch's wait for room.
import { TERMINAL_BATCH_STATUSES, type BatchInfo } from '../../ports/batch.js';
import type { BatchRecord, BatchStore } from '../../ports/batch-store.js';
import type { Job } from '../../ports/domain.js';
import type { Store } from '../../ports/store.js';
import { pollDelay, type ResolvedCheapModeOptions } from './cheap-options.js';

/**
 * The share of a model's limit Rowfill fills: its token count is its own tokenizer's, and the provider's may be a
 * little higher (the stand-in counts characters ÷ 4, ~1.5 % more on the test rows), so the last 3 % stay free.
 */
export const ENQUEUED_AIM = 0.97;

/** The code OpenAI fails a batch with when it would take the model's enqueued tokens past the limit. */
export const TOKEN_LIMIT_CODE = 'token_limit_exceeded';

/** The provider refused the batch for the enqueued-token limit: nothing in it ran, it may go again once there is room. */
export function refusedForTokens(info: Pick<BatchInfo, 'status' | 'errors'>): boolean {
  return info.status === 'failed' && info.errors.some((error) => error.code === TOKEN_LIMIT_CODE);
}

/** A batch's prompt tokens count against the limit from its claim until the provider ends it. */
export function isEnqueued(record: BatchRecord): boolean {
  return record.phase !== 'applied' && (record.providerStatus === null || !TERMINAL_BATCH_STATUSES.includes(record.providerStatus));
}

function keyOf(record: Pick<BatchRecord, 'jobId' | 'seq'>): string {
  return `${record.jobId}\u0000${record.seq}`;
}

/** What the model's limit leaves for the next batch. */
export interface ModelRoom {
  /** Prompt tokens the next batch may carry; 0 when none may go now. */
  readonly room: number;
  /** The most the model's batches may hold at once: the limit at ENQUEUED_AIM (a row over it alone can never go). */
  readonly limit: number;
  /**
   * When room may next appear: the earliest poll of the model's batches at the provider (only their end frees tokens),
   * or the end of a refusal's backoff; undefined when it may appear sooner (a batch is being sent or is due now).
   */
  readonly wakeAt: number | undefined;
}

interface Refusal {
  /** The model's batches that were waiting at the refusal: room comes back when one of them has ended. */
  readonly waitingFor: ReadonlySet<string>;
  /** With none of them, the provider's own accounting (other applications, its token count) is the wall: back off. */
  readonly until: number;
}

/**
 * One per process. The count is the store's (every job's open batch records), so jobs in other processes count too;
 * what a refusal taught is this process's (a pace, not a fact: another process learns it from its own refusal).
 */
export class EnqueuedTokens {
  /** A job's model never changes: looked up once. */
  private readonly models = new Map<string, string>();
  private readonly refusals = new Map<string, Refusal>();
  /** Refusals in a row per model with nothing of Rowfill's waiting: the backoff grows with them. */
  private readonly streaks = new Map<string, number>();
  /** Models whose submit runs in this process now. */
  private readonly turns = new Set<string>();
  /**
   * A model found with no room, until its `wakeAt`: no batch of it can end before its earliest poll, so no token comes
   * free before then, and counting again (a query over every job's batches) would find the same.
   */
  private readonly fullUntil = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly batches: BatchStore,
    private readonly options: ResolvedCheapModeOptions,
  ) {}

  /**
   * Runs `fn` unless another submit for the model runs in this process now (then undefined: try again on the next
   * tick, rather than wait behind a claim that may take a minute): two jobs never count the same room.
   */
  async exclusive<T>(model: string, fn: () => Promise<T>): Promise<T | undefined> {
    if (this.turns.has(model)) return undefined;
    this.turns.add(model);
    try {
      return await fn();
    } finally {
      this.turns.delete(model);
    }
  }

  /** The room `job`'s model has now, counted over every job's open batches. */
  async room(job: Job, now: number): Promise<ModelRoom> {
    const model = job.config.model;
    const limit = Math.floor(this.options.enqueuedTokens(model) * ENQUEUED_AIM);
    const full = this.fullUntil.get(model);
    if (full !== undefined && now < full) return { room: 0, limit, wakeAt: full };
    const room = await this.count(job, model, limit, now);
    if (room.room <= 0 && room.wakeAt !== undefined) this.fullUntil.set(model, room.wakeAt);
    else this.fullUntil.delete(model);
    return room;
  }

  private async count(job: Job, model: string, limit: number, now: number): Promise<ModelRoom> {
    const waiting = (await this.openOf(model, job)).filter(isEnqueued);
    const used = waiting.reduce((sum, record) => sum + record.tokens, 0);
    const refusal = this.refusals.get(model);
    let blockedUntil: number | undefined;
    if (refusal !== undefined) {
      const still = refusal.waitingFor.size > 0 ? waiting.filter((record) => refusal.waitingFor.has(keyOf(record))).length === refusal.waitingFor.size : now < refusal.until;
      if (still) blockedUntil = refusal.waitingFor.size > 0 ? Number.POSITIVE_INFINITY : refusal.until;
      else this.refusals.delete(model);
    }
    // Only a batch's end frees tokens, and it is seen at its poll; one being packed or sent is on its way there.
    let wakeAt = blockedUntil ?? Number.POSITIVE_INFINITY;
    for (const record of waiting) wakeAt = Math.min(wakeAt, record.phase === 'submitted' ? record.nextPollAt : now);
    const room = blockedUntil !== undefined ? 0 : Math.max(0, limit - used);
    return { room, limit, wakeAt: wakeAt > now && Number.isFinite(wakeAt) ? wakeAt : undefined };
  }

  /**
   * The provider refused `refused` for the limit (its rows are back in the queue): the model's next batch waits until
   * one of the batches waiting now has ended, or, with none (the provider counts what Rowfill cannot see), backs off as
   * a poll does, longer after each refusal in a row.
   */
  async noteRefusal(job: Job, refused: BatchRecord, now: number): Promise<void> {
    const model = job.config.model;
    this.fullUntil.delete(model);
    const others = (await this.openOf(model, job)).filter((record) => isEnqueued(record) && keyOf(record) !== keyOf(refused));
    const streak = others.length > 0 ? 0 : (this.streaks.get(model) ?? 0) + 1;
    this.streaks.set(model, streak);
    this.refusals.set(model, { waitingFor: new Set(others.map(keyOf)), until: now + pollDelay(this.options, Math.max(0, streak - 1)) });
  }

  /** The provider took a batch of the model: refusals in a row start again from none. */
  noteAccepted(model: string): void {
    this.streaks.delete(model);
  }

  /** The open batches of every job on `model` (the caller's own included). */
  private async openOf(model: string, job: Job): Promise<BatchRecord[]> {
    const open = await this.batches.listOpenBatches();
    // Jobs with no open batch any more are forgotten: the map stays as small as what is open.
    const jobs = new Set(open.map((record) => record.jobId));
    for (const jobId of this.models.keys()) if (!jobs.has(jobId)) this.models.delete(jobId);
    const mine: BatchRecord[] = [];
    for (const record of open) if ((await this.modelOf(record.jobId, job)) === model) mine.push(record);
    return mine;
  }

  private async modelOf(jobId: string, job: Job): Promise<string | undefined> {
    if (jobId === job.id) return job.config.model;
    const known = this.models.get(jobId);
    if (known !== undefined) return known;
    const other = await this.store.getJob(jobId);
    if (other === undefined) return undefined;
    this.models.set(jobId, other.config.model);
    return other.config.model;
  }
}
