// The pump's step for a cheap job: claim queued rows into a batch, upload and submit it, poll open batches, apply results.
import { randomUUID } from 'node:crypto';
import { TERMINAL_BATCH_STATUSES, type BatchInfo, type BatchRowRequest } from '../../ports/batch.js';
import type { BatchRecord } from '../../ports/batch-store.js';
import { targetKey, ZERO_USAGE, type Job, type Row } from '../../ports/domain.js';
import type { EngineContext } from '../context.js';
import { BatchApplier } from './batch-apply.js';
import { pauseReasonOf } from '../row-answer.js';
import { batchWorstCase } from './batch-cost.js';
import { isLateRow } from './late-rows.js';
import { rowTask } from '../task-names.js';
import { pollDelay, resolveCheapModeOptions, type CheapModeDeps, type ResolvedCheapModeOptions } from './cheap-options.js';
import { EnqueuedTokens, refusedForTokens, type ModelRoom } from './token-limit.js';
import { InvalidRequestError } from '../../kernel/errors.js';

/** Rows dispatched and read at once while filling, packing or pricing a batch. */
const READ_CHUNK = 500;
/**
 * How long one process may hold a batch's step: longer than packing and uploading a 200 MB file or applying 50,000
 * results takes; a process that died holding it blocks the batch no longer than this.
 */
const STEP_HOLD_MS = 15 * 60_000;

/** The single-flight key a batch's step is held under (never a cache entry: no answer is stored under it). */
export function batchStepKey(jobId: string, seq: number): string {
  return `rowfill-batch-step\u0000${jobId}\u0000${seq}`;
}

/**
 * How long one process may hold a model's submit (counting the room and claiming the rows into a batch record): longer
 * than a 50,000-row claim takes on Firestore (~80 s); a process that died holding it blocks the model no longer.
 */
const SUBMIT_HOLD_MS = 5 * 60_000;

/** The single-flight key a model's submit is held under, across processes: two never count the same room. */
export function batchSubmitKey(model: string): string {
  return `rowfill-batch-submit\u0000${model}`;
}

/** A request line's bytes besides its messages and schema: custom id, method, url, model, response format, caps. */
const LINE_ENVELOPE_BYTES = 400;

export interface CheapStepResult {
  /** Batches still holding rows after this step: the job is not over while there are any. */
  readonly openBatches: number;
  /** Rows those batches were claimed with: running rows beyond them are not waiting for a batch (a late row run fast). */
  readonly rowsInBatches: number;
  /**
   * Nothing moved in this step and nothing will before this time but the provider (a batch's next poll, or the room a
   * batch's end frees): the pump may sleep until then. Undefined when there is work now or may be soon.
   */
  readonly idleUntil: number | undefined;
}

/** What a submit did: some work (rows claimed, finished or handed on; or a batch being sent), nothing to send, or a wait. */
type Submitted = { readonly kind: 'work' } | { readonly kind: 'empty' } | { readonly kind: 'wait'; readonly until: number };
const WORK: Submitted = { kind: 'work' };
const EMPTY: Submitted = { kind: 'empty' };
/** Only this job's own batches can change it (a budget refusal waits for their reservations to come back). */
const WAIT_FOR_OWN: Submitted = { kind: 'wait', until: Number.POSITIVE_INFINITY };

/** The metadata a batch is created with, and found by after a crash. */
export function batchMetadata(jobId: string, seq: number): Record<string, string> {
  return { rowfill_job: jobId, rowfill_batch: String(seq) };
}

/** `rowfill-<job id>-<seq>.jsonl`, with the id reduced to what a packed file's name allows. */
export function batchFilePrefix(jobId: string): string {
  return `rowfill-${jobId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export class CheapMode {
  private readonly options: ResolvedCheapModeOptions;
  private readonly applier: BatchApplier;
  /** Jobs whose step runs in this process now: an overlapping pump skips the step instead of racing it. */
  private readonly busy = new Set<string>();
  /** Names this process when it holds a batch's step (see advance). */
  private readonly holder: string;
  /** The model's enqueued-token limit, shared by every job in the store (token-limit.ts). */
  private readonly tokens: EnqueuedTokens;

  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: CheapModeDeps,
  ) {
    this.options = resolveCheapModeOptions(deps.options ?? {}, deps.client);
    this.holder = `batch-stepper:${this.options.stepHolder ?? randomUUID()}`;
    this.applier = new BatchApplier(ctx, deps);
    this.tokens = new EnqueuedTokens(ctx.store, deps.store, this.options);
  }

  /** The longest a job that only waits on the provider goes unpumped: the poll backoff's cap. */
  get maxIdleMs(): number {
    return this.options.pollMaxMs;
  }

  /**
   * Moves every open batch one phase on (each phase is recorded before the next provider call), then, for a running
   * job, fills a new batch while the enqueued-token limit allows. A failing provider call is logged and tried again on
   * the next tick: the record says exactly where to pick up.
   */
  async step(job: Job): Promise<CheapStepResult> {
    if (this.busy.has(job.id)) return { openBatches: 1, rowsInBatches: 0, idleUntil: undefined };
    this.busy.add(job.id);
    try {
      let moved = false;
      for (const record of await this.deps.store.listBatches(job.id, { open: true })) {
        try {
          if (await this.advance(job, record)) moved = true;
        } catch (error) {
          moved = true;
          this.ctx.log.warn({ jobId: job.id, batch: record.seq, phase: record.phase, error: message(error) }, 'a batch step failed; will retry');
        }
      }
      let submitted = EMPTY;
      if (job.status === 'running') {
        try {
          submitted = await this.submit(job);
        } catch (error) {
          submitted = WORK;
          this.ctx.log.warn({ jobId: job.id, error: message(error) }, 'submitting a batch failed; will retry');
        }
      }
      const open = await this.deps.store.listBatches(job.id, { open: true });
      return { openBatches: open.length, rowsInBatches: open.reduce((sum, b) => sum + b.rowCount, 0), idleUntil: moved ? undefined : this.idleUntil(job, open, submitted) };
    } finally {
      this.busy.delete(job.id);
    }
  }

  /** When this job next has something to do, if only the provider can bring it (see CheapStepResult.idleUntil). */
  private idleUntil(job: Job, open: readonly BatchRecord[], submitted: Submitted): number | undefined {
    if (submitted.kind === 'work') return undefined;
    let until = submitted.kind === 'wait' ? submitted.until : Number.POSITIVE_INFINITY;
    for (const record of open) until = Math.min(until, dueAt(job, record));
    return Number.isFinite(until) && until > this.ctx.clock.now() ? until : undefined;
  }

  /**
   * Claims the next rows into a new batch record and starts it; nothing when no row is queued, when the model's
   * enqueued-token limit (counted over every job's open batches) has no room, or when the budget is reached.
   */
  private async submit(job: Job): Promise<Submitted> {
    const all = await this.deps.store.listBatches(job.id);
    // One batch at a time is being packed and submitted; its rows are already out of the queue.
    if (all.some((b) => b.phase === 'claimed' || b.phase === 'uploaded')) return WORK;
    // Nothing to send: no dispatch, no count of the room, no hold.
    if ((await this.ctx.store.listRows({ jobId: job.id, statuses: ['queued'], limit: 1 })).length === 0) return EMPTY;
    const model = job.config.model;
    const claimed = await this.tokens.exclusive(model, async () => {
      const waitFor = (room: ModelRoom): Submitted => (room.wakeAt === undefined ? WORK : { kind: 'wait', until: room.wakeAt });
      // No room: wait, without a hold (on Firestore a transaction) on every tick of a long wait.
      const seen = await this.tokens.room(job, this.ctx.clock.now());
      if (seen.room <= 0) return { submitted: waitFor(seen) };
      // Across processes too: the room is counted again under the model's hold, and claimed before it is released.
      const key = batchSubmitKey(model);
      const hold = await this.ctx.store.holdCacheKey({ key, holder: this.holder, now: this.ctx.clock.now(), holdMs: SUBMIT_HOLD_MS });
      if (hold.kind !== 'held') return { submitted: WORK };
      try {
        const room = await this.tokens.room(job, this.ctx.clock.now());
        if (room.room <= 0) return { submitted: waitFor(room) };
        return await this.claimNext(job, all, room.room, room.limit);
      } finally {
        await this.ctx.store.releaseCacheHold(key, this.holder).catch(() => undefined);
      }
    });
    // Another job's submit for the model runs in this process: this one's comes on the next tick.
    if (claimed === undefined) return WORK;
    // Sent on at once (outside the model's turn), so a new batch starts its provider window in this tick.
    if (claimed.record !== undefined) await this.advance(job, claimed.record);
    return claimed.submitted;
  }

  /** Fills and claims the next batch within `tokenRoom` (the rows' prompt tokens) and the client's file size. */
  private async claimNext(job: Job, all: readonly BatchRecord[], tokenRoom: number, tokenLimit: number): Promise<{ submitted: Submitted; record?: BatchRecord }> {
    const { store, clock } = this.ctx;
    let progressed = false;
    // No row tasks run in cheap mode: a queued row holding a slot is a retry, or a claim cut short. Take them all back.
    await store.undispatchStale(job.id, Number.POSITIVE_INFINITY);
    const now = clock.now();
    const plan = this.ctx.plans.get(job);
    const outputTokens = await this.ctx.ceilings.outputTokens(job, now);
    const rows: Array<{ rowId: string; dispatchSeq: number; reserveUsd: number; tokens: number }> = [];
    let tokens = 0;
    // The file must stay under the client's byte limit: a line is about its messages and schema as JSON, plus the
    // request's envelope; a tenth is kept spare for what this estimate leaves out.
    const byteRoom = this.deps.client.limits.maxBytesPerFile * 0.9;
    const lineBytes = LINE_ENVELOPE_BYTES + JSON.stringify(plan.schema.jsonSchema).length;
    let bytes = 0;
    // Rows are taken a chunk at a time until the file is full: a store writes each dispatch in one commit, and one
    // commit of 50,000 rows is more than Firestore does in good time. Rows taken past what fits stay dispatched and
    // queued; the next submit takes them back first (undispatchStale above).
    for (let full = false; !full && rows.length < this.options.maxRowsPerBatch; ) {
      const dispatched = await store.dispatchRows({ jobId: job.id, maxInFlight: Number.MAX_SAFE_INTEGER, limit: Math.min(READ_CHUNK, this.options.maxRowsPerBatch - rows.length), now });
      if (dispatched.length === 0) break;
      const read = await Promise.all(dispatched.map((d) => store.getRow(job.id, d.rowId)));
      for (const row of read) {
        if (row === undefined || row.status !== 'queued') continue;
        // A row an expired batch left unanswered, in a job that finishes late rows fast: a fast row task, not a batch.
        if (isLateRow(job, row)) {
          await this.ctx.deps.queue.enqueue([rowTask(job.id, row.rowId, row.dispatchSeq, row.nextAttemptAt > now ? row.nextAttemptAt : undefined)]);
          progressed = true;
          continue;
        }
        // An answer stored by an earlier job (the estimate counts these as free) is used, not bought again.
        if (await this.fromCache(job, row, plan.cacheKey(row.inputHash))) {
          progressed = true;
          continue;
        }
        const promptTokens = plan.promptTokens(row.inputs);
        // A row over the whole limit alone would be refused by every batch it went in: it fails, as a request too large.
        if (promptTokens > tokenLimit) {
          await this.tooLarge(job, row, promptTokens, tokenLimit);
          progressed = true;
          continue;
        }
        const rowBytes = lineBytes + Buffer.byteLength(JSON.stringify(plan.messages(row.inputs)));
        // The tokens must fit what is left of the limit, or the provider refuses the batch; the first row goes even
        // alone over the file's byte limit (the packer splits what it must; otherwise the row would never go).
        if (tokens + promptTokens > tokenRoom || (rows.length > 0 && bytes + rowBytes > byteRoom)) {
          full = true;
          break;
        }
        tokens += promptTokens;
        bytes += rowBytes;
        rows.push({ rowId: row.rowId, dispatchSeq: row.dispatchSeq, reserveUsd: batchWorstCase(promptTokens, outputTokens, plan.price), tokens: promptTokens });
      }
      if (rows.length > 0 && (tokens >= tokenRoom || bytes >= byteRoom)) full = true;
    }
    if (rows.length === 0) return { submitted: progressed ? WORK : EMPTY };
    const seq = all.reduce((max, b) => Math.max(max, b.seq + 1), 0);
    const claim = await this.deps.store.claimBatch({ jobId: job.id, seq, filename: `${batchFilePrefix(job.id)}-${seq}.jsonl`, rows, now: clock.now(), leaseMs: this.options.leaseMs });
    if (claim.record === undefined) {
      // Nothing fits the budget: this job's open batches hand back unused reservations as they are applied.
      if (claim.refused.some((r) => r.reason === 'budget')) return { submitted: (await this.budgetRefused(job, rows[0]?.reserveUsd ?? 0)) ? WAIT_FOR_OWN : WORK };
      return { submitted: WORK };
    }
    this.ctx.log.info({ jobId: job.id, batch: seq, rows: claim.claimed.length, reservedUsd: claim.record.reservedUsd }, 'rows claimed into a batch');
    return { submitted: WORK, record: claim.record };
  }

  /** A queued row whose prompt alone is over the model's enqueued-token limit fails, unbilled, with the reason. */
  private async tooLarge(job: Job, row: Row, promptTokens: number, limit: number): Promise<void> {
    const { store, clock } = this.ctx;
    const claim = await store.claimRow({ jobId: job.id, rowId: row.rowId, dispatchSeq: row.dispatchSeq, now: clock.now(), leaseMs: 60_000, reserveUsd: 0 });
    if (!claim.ok) return;
    const error = new InvalidRequestError(
      `This row's prompt (about ${promptTokens} tokens) is more than ${job.config.model} batches may hold at once (${limit} tokens, within its enqueued-token limit); run it in fast mode, or raise the limit to your account's.`,
    );
    await store.finishRow({ jobId: job.id, rowId: row.rowId, leaseToken: claim.leaseToken, outcome: { kind: 'failed', errorClass: error.errorClass, message: error.message, usage: ZERO_USAGE, costUsd: 0 }, now: clock.now() });
  }

  /** A queued row whose answer is in the cross-job cache finishes from it, as a fast row does; false when there is none. */
  private async fromCache(job: Job, row: Row, key: string): Promise<boolean> {
    const { store, clock } = this.ctx;
    if (job.config.force) return false;
    const entry = await store.getCache(key, clock.now());
    if (entry === undefined) return false;
    const claim = await store.claimRow({ jobId: job.id, rowId: row.rowId, dispatchSeq: row.dispatchSeq, now: clock.now(), leaseMs: 60_000, reserveUsd: 0 });
    if (!claim.ok) return true;
    const registry = { sheetKey: targetKey(job.target), rowId: row.rowId, inputHash: row.inputHash, configHash: job.configHash, outputs: entry.outputs, updatedAt: clock.now() };
    await store.finishRow({ jobId: job.id, rowId: row.rowId, leaseToken: claim.leaseToken, outcome: { kind: 'done', outputs: entry.outputs, cached: true, usage: ZERO_USAGE, costUsd: 0 }, now: clock.now(), remember: { registry } });
    return true;
  }

  /**
   * Nothing fits: rows in open batches may hand back unused reservations (true: wait for them); with none open, the
   * job pauses as in fast mode.
   */
  private async budgetRefused(job: Job, need: number): Promise<boolean> {
    const { store, clock } = this.ctx;
    const money = await store.counts(job.id);
    if (money.reservedUsd > 0) return true;
    const left = (job.budgetUsd ?? 0) - money.spentUsd;
    const message = `The budget is used up: the next row may cost up to $${need.toFixed(4)} at batch prices and $${Math.max(0, left).toFixed(4)} is left.`;
    const paused = await store.transitionJob(job.id, { to: 'paused', from: ['running'], pauseReason: 'budget', message, now: clock.now() });
    if (paused) this.ctx.log.warn({ jobId: job.id, reason: 'budget' }, `job paused: ${message}`);
    return false;
  }

  /**
   * One phase on for one batch; each provider call is preceded by a look-up of what a crash may have left done. True
   * when the batch moved to another phase (or another process holds it, moving it): rows may have changed.
   */
  private async advance(job: Job, record: BatchRecord): Promise<boolean> {
    const now = this.ctx.clock.now();
    // A batch waiting for its next poll needs nothing: no hold (on Firestore a transaction) and no provider call.
    if (dueAt(job, record) > now) return false;
    // Across processes (several Cloud Run instances may pump one job at once): one steps a batch at a time, or two
    // could each upload and create it before either records it. The store's single flight per key is that lock.
    const key = batchStepKey(job.id, record.seq);
    const hold = await this.ctx.store.holdCacheKey({ key, holder: this.holder, now, holdMs: STEP_HOLD_MS });
    if (hold.kind !== 'held') return true;
    let moved = false;
    try {
      // The record as it is now: another process may have moved it on before this one got the hold.
      let current = await this.deps.store.getBatch(job.id, record.seq);
      // Claimed and uploaded batches go on at once to submitted, so a new batch starts its provider window in one tick.
      for (let step = 0; current && current.phase !== 'applied' && step < 4; step++) {
        const next = await this.advanceOnce(job, current);
        if (next === undefined || next.phase === current.phase) return moved;
        moved = true;
        current = next;
      }
      return moved;
    } finally {
      await this.ctx.store.releaseCacheHold(key, this.holder).catch(() => undefined);
    }
  }

  private async advanceOnce(job: Job, record: BatchRecord): Promise<BatchRecord | undefined> {
    const { clock } = this.ctx;
    const store = this.deps.store;
    const { client } = this.deps;
    if (record.phase === 'claimed') {
      if (job.status === 'cancelled') return this.giveUp(job, record, 'The job was cancelled before this batch was submitted.');
      const uploaded = (await client.findUploadedFile(record.filename)) ?? (await this.packAndUpload(job, record));
      // Every row left the batch before it was sent (their leases ran out while no process ran): nothing to send.
      if (uploaded === undefined) return this.giveUp(job, record, 'None of its rows was still waiting for it; they went back to the queue.');
      return store.updateBatch(job.id, record.seq, { phase: 'uploaded', fileId: uploaded.fileId }, clock.now());
    }
    if (record.phase === 'uploaded') {
      const metadata = batchMetadata(job.id, record.seq);
      const [found] = await client.find({ inputFileId: record.fileId!, metadata });
      if (found === undefined && job.status === 'cancelled') return this.giveUp(job, record, 'The job was cancelled before this batch was submitted.');
      const info = found ?? (await client.create(record.fileId!, metadata));
      this.ctx.log.info({ jobId: job.id, batch: record.seq, batchId: info.id }, found ? 'found the batch a crash left unrecorded' : 'batch submitted');
      return this.recordInfo(job, record, info, 'submitted');
    }
    if (record.phase === 'submitted') {
      const cancelNow = cancelsNow(job, record);
      if (!cancelNow && clock.now() < record.nextPollAt) return record;
      const info = cancelNow ? await client.cancel(record.batchId!) : await client.retrieve(record.batchId!);
      if (refusedForTokens(info)) {
        // Refused for the model's enqueued-token limit: its rows go back to the queue when it is applied, and the
        // model's next batch waits for room (token-limit.ts).
        await this.tokens.noteRefusal(job, record, clock.now());
        this.ctx.log.warn({ jobId: job.id, batch: record.seq, batchId: info.id }, 'the provider refused the batch for the enqueued-token limit; its rows wait for room');
      } else if (info.status !== 'failed' && info.status !== 'validating') this.tokens.noteAccepted(job.config.model);
      return this.recordInfo(job, record, info, TERMINAL_BATCH_STATUSES.includes(info.status) ? 'ended' : 'submitted');
    }
    if (record.phase === 'ended') {
      const info = await client.retrieve(record.batchId!);
      const summary = await this.applier.apply(job, record, info);
      this.ctx.log.info({ jobId: job.id, batch: record.seq, status: info.status, finished: summary.finished, requeued: summary.requeued }, 'batch results applied');
      const applied = await store.updateBatch(job.id, record.seq, { phase: 'applied', ...(info.status === 'failed' ? { message: info.errors.map((e) => e.message).join('; ') || 'failed' } : {}) }, clock.now());
      if (summary.pause) {
        // As a fast row pauses its job (a row over its reservation: budget, naming the tokens the provider reported).
        const reason = pauseReasonOf(summary.pause);
        const paused = await this.ctx.store.transitionJob(job.id, { to: 'paused', from: ['running'], pauseReason: reason, message: summary.pause.message, now: clock.now() });
        if (paused) this.ctx.log.warn({ jobId: job.id, reason }, `job paused: ${summary.pause.message}`);
      }
      return applied;
    }
    return record;
  }

  private recordInfo(job: Job, record: BatchRecord, info: BatchInfo, phase: 'submitted' | 'ended'): Promise<BatchRecord | undefined> {
    const now = this.ctx.clock.now();
    const polls = record.phase === 'submitted' ? record.polls + 1 : 0;
    return this.deps.store.updateBatch(job.id, record.seq, { phase, batchId: info.id, providerStatus: info.status, expiresAt: info.expiresAt, polls, nextPollAt: now + pollDelay(this.options, polls) }, now);
  }

  /** A batch never submitted (the job was cancelled first): its rows are released, nothing was billed. */
  private async giveUp(job: Job, record: BatchRecord, why: string): Promise<BatchRecord | undefined> {
    const { store, clock } = this.ctx;
    for (const entry of await this.deps.store.batchRows(job.id, record.seq)) {
      await store.finishRow({ jobId: job.id, rowId: entry.rowId, leaseToken: entry.leaseToken, outcome: { kind: 'release', usage: ZERO_USAGE, costUsd: 0 }, now: clock.now() });
    }
    return this.deps.store.updateBatch(job.id, record.seq, { phase: 'applied', message: why }, clock.now());
  }

  /** Packs the batch's rows (read from the store, in claim order) into its one file and uploads it. */
  private async packAndUpload(job: Job, record: BatchRecord): Promise<{ fileId: string } | undefined> {
    const { client } = this.deps;
    const plan = this.ctx.plans.get(job);
    const entries = await this.deps.store.batchRows(job.id, record.seq);
    const store = this.ctx.store;
    async function* requests(): AsyncIterable<BatchRowRequest> {
      for (let i = 0; i < entries.length; i += READ_CHUNK) {
        const chunk = entries.slice(i, i + READ_CHUNK);
        const rows = await Promise.all(chunk.map((e) => store.getRow(job.id, e.rowId)));
        for (const [k, row] of rows.entries()) {
          const entry = chunk[k]!;
          // A row the batch no longer holds (finished or taken back) is not asked about; its answer would be refused anyway.
          if (!holds(row, entry.dispatchSeq)) continue;
          yield {
            customId: entry.customId,
            request: { model: job.config.model, messages: plan.messages(row.inputs), schemaName: 'row_outputs', schema: plan.schema.jsonSchema, maxOutputTokens: job.config.maxOutputTokens },
          };
        }
      }
    }
    const prefix = batchFilePrefix(job.id);
    let uploaded: { fileId: string } | undefined;
    for await (const file of client.pack(requests(), { filenamePrefix: prefix, firstSequence: record.seq })) {
      try {
        if (uploaded !== undefined || file.filename !== record.filename) {
          throw new Error(`batch ${record.seq}: its rows do not fit one file of ${client.limits.maxBytesPerFile} bytes; lower maxRowsPerBatch`);
        }
        uploaded = await client.upload(file);
      } finally {
        await file.dispose();
      }
    }
    return uploaded;
  }
}

/** A submitted batch of a cancelled job is cancelled at once, not at its next poll. */
function cancelsNow(job: Job, record: BatchRecord): boolean {
  const status = record.providerStatus;
  return job.status === 'cancelled' && status !== null && !TERMINAL_BATCH_STATUSES.includes(status) && status !== 'cancelling';
}

/** When a batch next needs a step: a submitted one at its next poll (a cancelled job's at once), any other now. */
function dueAt(job: Job, record: BatchRecord): number {
  if (record.phase === 'applied') return Number.POSITIVE_INFINITY;
  if (record.phase !== 'submitted' || cancelsNow(job, record)) return 0;
  return record.nextPollAt;
}

function holds(row: Row | undefined, dispatchSeq: number): row is Row {
  return row !== undefined && row.status === 'running' && row.dispatchSeq === dispatchSeq;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
