// Optimistic steps: read without locks, decide, then commit one batch whose preconditions pin everything the decision read.
import type { DocumentData, DocumentReference, DocumentSnapshot, Firestore, Query, QueryDocumentSnapshot, Timestamp, WriteBatch, WriteResult } from '@google-cloud/firestore';
import { FieldValue } from '@google-cloud/firestore';
import type { CommitTouch } from './options.js';
import { SCHEMA } from './records.js';
import type { SnapshotCache } from './snapshot-cache.js';
import type { StepCommit } from './group-commit.js';

/** Where an attempt's reads and commits go: Firestore directly, or grouped with other steps' (group-read.ts, group-commit.ts). */
export interface Channel {
  getAll(refs: readonly DocumentReference[]): Promise<DocumentSnapshot[]>;
  commit(step: StepCommit): Promise<WriteResult[]>;
}

/** Each read and commit on its own. */
export function directChannel(db: Firestore): Channel {
  return {
    getAll: (refs) => (refs.length === 0 ? Promise.resolve([]) : db.getAll(...refs)),
    commit: (step) => {
      const batch = db.batch();
      step.apply(batch);
      return batch.commit();
    },
  };
}

/**
 * Why not `runTransaction`: Firestore's server transactions lock what they read. The emulator (and a pessimistic
 * production database) then deadlocks two transactions that read the same document and both write it, until a 2 s lock
 * timeout aborts both — with 50 workers on one job that is a livelock. Here nothing is locked between read and commit:
 * every document a step read is pinned in its commit (`lastUpdateTime` for one it changes; for one it only read, an
 * update rewriting `schema` to the same value — Firestore keeps a document's update time on a write that changes
 * nothing — or `exists: false` for one it found missing). The batch commits atomically only if none changed since it was
 * read, which is exactly serializable for what the step looked at; a lost race re-runs the step on fresh reads.
 *
 * A read marked `cached` may be served from what this process last saw of the document (snapshot-cache.ts) instead of
 * a round trip: the pin then asserts the document is still at the update time seen, which is just as serializable. Such
 * an attempt may only commit: a read-only answer (a refusal, say) is taken again on fresh reads (runOcc).
 */
export class Attempt {
  private readonly reads = new Map<string, { readonly ref: DocumentReference; readonly snapshot: DocumentSnapshot; readonly updateTime: Timestamp | undefined; pinned: boolean }>();
  private readonly writes = new Map<string, { readonly ref: DocumentReference; readonly kind: 'create' | 'update' | 'delete' | 'set'; readonly data: DocumentData }>();
  private cachedReads = 0;

  /** `seen` records what the attempt reads and commits; `serve` (the same cache, or none on a re-run) answers cached reads. */
  constructor(
    private readonly channel: Channel,
    private readonly seen?: SnapshotCache,
    private readonly serve?: SnapshotCache,
  ) {}

  /**
   * One consistent snapshot of `refs`, in order. Pinned by default; `pin: false` for reads whose staleness is safe.
   * A document this attempt already read is answered from that read; `cached: true` lets the process's last sight of a
   * document answer too (only for documents the step then pins or writes, so the commit checks it).
   */
  async getAll(refs: readonly DocumentReference[], options: { readonly pin?: boolean; readonly cached?: boolean } = {}): Promise<DocumentSnapshot[]> {
    const pin = options.pin ?? true;
    const result: Array<DocumentSnapshot | undefined> = refs.map((ref) => {
      const prior = this.reads.get(ref.path);
      if (prior !== undefined) {
        if (pin) prior.pinned = true;
        return prior.snapshot;
      }
      const seen = options.cached === true ? this.serve?.get(ref.path) : undefined;
      if (seen === undefined) return undefined;
      const snapshot = cachedSnapshot(ref, seen.data, seen.updateTime);
      this.cachedReads++;
      this.record(snapshot, pin);
      return snapshot;
    });
    const missing = refs.filter((_, i) => result[i] === undefined);
    if (missing.length > 0) {
      const fetched = await this.channel.getAll(missing);
      let next = 0;
      for (let i = 0; i < refs.length; i++) {
        if (result[i] !== undefined) continue;
        const snapshot = fetched[next++]!;
        this.record(snapshot, pin);
        this.seen?.saw(snapshot);
        result[i] = snapshot;
      }
    }
    return result as DocumentSnapshot[];
  }

  async query(query: Query, options: { readonly pin?: boolean } = {}): Promise<QueryDocumentSnapshot[]> {
    const snapshot = await query.get();
    for (const doc of snapshot.docs) {
      this.record(doc, options.pin ?? true);
      this.seen?.saw(doc);
    }
    return snapshot.docs;
  }

  /** Some read was answered from the process's cache rather than Firestore. */
  get usedCache(): boolean {
    return this.cachedReads > 0;
  }

  /** Pins a document read earlier with `pin: false`, once the decision turns out to depend on it. */
  pin(ref: DocumentReference): void {
    const read = this.reads.get(ref.path);
    if (read === undefined) throw new Error(`Attempt.pin: ${ref.path} was not read`);
    read.pinned = true;
  }

  /** Creates a document; fails the commit (a lost race) if it exists by then. */
  create(ref: DocumentReference, data: DocumentData): void {
    this.writes.set(ref.path, { ref, kind: 'create', data });
  }

  /** Updates the listed fields of a document this attempt read as existing. */
  update(ref: DocumentReference, data: DocumentData): void {
    const read = this.reads.get(ref.path);
    if (read?.updateTime === undefined) throw new Error(`Attempt.update: ${ref.path} was not read as existing`);
    this.writes.set(ref.path, { ref, kind: 'update', data });
  }

  /** Writes a whole document whatever is there (a blind write: the step's decision did not depend on it). */
  set(ref: DocumentReference, data: DocumentData): void {
    if (this.reads.has(ref.path)) throw new Error(`Attempt.set: ${ref.path} was read; use update or create so the write is pinned`);
    this.writes.set(ref.path, { ref, kind: 'set', data });
  }

  /** Deletes a document (pinned like an update when it was read). */
  delete(ref: DocumentReference): void {
    this.writes.set(ref.path, { ref, kind: 'delete', data: {} });
  }

  get hasWrites(): boolean {
    return this.writes.size > 0;
  }

  /**
   * The commit (undefined when the step wrote nothing: a read-only answer needs no commit): its writes, then a pin for
   * each document only read, so the first `writes` results are the writes' (see committed).
   */
  commitPlan(): (StepCommit & { readonly touches: CommitTouch[] }) | undefined {
    if (this.writes.size === 0) return undefined;
    const touches: CommitTouch[] = [];
    const operations: Array<(batch: WriteBatch) => void> = [];
    for (const [path, write] of this.writes) {
      const read = this.reads.get(path);
      touches.push({ path, kind: 'write' });
      const pinned = read?.pinned === true && read.updateTime !== undefined ? { lastUpdateTime: read.updateTime } : undefined;
      if (write.kind === 'create') operations.push((batch) => batch.create(write.ref, write.data));
      else if (write.kind === 'set') operations.push((batch) => batch.set(write.ref, write.data));
      else if (write.kind === 'delete') operations.push((batch) => batch.delete(write.ref, pinned));
      else if (pinned) operations.push((batch) => batch.update(write.ref, write.data, pinned));
      else operations.push((batch) => batch.update(write.ref, write.data));
    }
    for (const [path, read] of this.reads) {
      if (!read.pinned || this.writes.has(path)) continue;
      touches.push({ path, kind: 'pin' });
      if (read.updateTime === undefined) operations.push((batch) => batch.delete(read.ref, { exists: false }));
      else operations.push((batch) => batch.update(read.ref, { schema: SCHEMA }, { lastUpdateTime: read.updateTime! }));
    }
    return {
      paths: touches.map((touch) => touch.path),
      operations: operations.length,
      apply: (batch) => {
        for (const operation of operations) operation(batch);
      },
      touches,
    };
  }

  /**
   * After the commit landed: what each written document now holds, at the update time the commit gave it (the batch's
   * writes come first, in order, and their results are in the same order). An update's fields go over the fields read.
   */
  committed(results: readonly WriteResult[]): void {
    if (this.seen === undefined) return;
    let i = 0;
    for (const [path, write] of this.writes) {
      const updateTime = results[i++]?.writeTime;
      const base = write.kind === 'update' ? this.reads.get(path)?.snapshot.data() : {};
      if (write.kind === 'delete' || updateTime === undefined || base === undefined || !plain(write.data)) this.seen.forget(path);
      else this.seen.set(path, { data: { ...base, ...write.data }, updateTime });
    }
  }

  /** After a lost race: whatever this attempt saw or meant to write may be stale; the next attempt reads afresh. */
  forgetAll(): void {
    for (const path of this.reads.keys()) this.seen?.forget(path);
    for (const path of this.writes.keys()) this.seen?.forget(path);
  }

  /** A document read twice in one attempt must not have changed in between: the attempt would mix two states. */
  private record(snapshot: DocumentSnapshot, pin: boolean): void {
    const { ref } = snapshot;
    const updateTime = snapshot.exists ? snapshot.updateTime : undefined;
    const prior = this.reads.get(ref.path);
    if (prior === undefined) {
      this.reads.set(ref.path, { ref, snapshot, updateTime, pinned: pin });
      return;
    }
    const same = prior.updateTime === undefined ? updateTime === undefined : updateTime !== undefined && prior.updateTime.isEqual(updateTime);
    if (!same) throw new LostRace(`${ref.path} changed while the step was reading`);
    if (pin) prior.pinned = true;
  }
}

/** Fields written as given (no sentinel such as an increment, no dotted path): what the document holds after is known. */
function plain(data: DocumentData): boolean {
  return Object.entries(data).every(([key, value]) => !key.includes('.') && !(value instanceof FieldValue));
}

/**
 * A document as this process last saw it, shaped like the snapshot a read returns, for the members steps use (ref, id,
 * exists, updateTime, data()). data() copies, so a step cannot change what the cache holds.
 */
function cachedSnapshot(ref: DocumentReference, data: DocumentData, updateTime: Timestamp): DocumentSnapshot {
  const view = { ref, id: ref.id, exists: true, updateTime, createTime: undefined, readTime: undefined, data: () => ({ ...data }), get: (field: string) => data[field] as unknown, isEqual: () => false };
  return view as unknown as DocumentSnapshot;
}

/** Thrown to re-run a step on fresh reads. */
export class LostRace extends Error {}

/** A step lost `maxAttempts` races in a row: others keep changing what it reads. A caller that can say "not now" does. */
export class TooManyLostRaces extends Error {}

export interface OccSettings {
  readonly db: Firestore;
  /** Where reads and commits go; default: straight to `db`, each on its own. */
  readonly channel?: Channel | undefined;
  /** What this process last saw of documents; undefined: every read goes to Firestore. */
  readonly cache?: SnapshotCache | undefined;
  readonly maxAttempts: number;
  readonly onCommit: ((touches: readonly CommitTouch[]) => void) | undefined;
  readonly onLostRace: ((step: string) => void) | undefined;
}

// gRPC codes for "your preconditions failed" (the race was lost, nothing was written): FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED.
const LOST_RACE_CODES: ReadonlySet<unknown> = new Set([9, 6, 10]);

/**
 * Runs `step` until its commit lands. Only definite losses are retried — a precondition failure writes nothing — so
 * an error whose outcome is unknown (a timeout after sending) surfaces instead of risking a second application.
 */
export async function runOcc<T>(settings: OccSettings, label: string, step: (attempt: Attempt) => Promise<T>): Promise<T> {
  // Cached reads only on a first try: a lost race or a read-only answer means fresh reads from then on.
  let fresh = false;
  const channel = settings.channel ?? directChannel(settings.db);
  for (let n = 1; ; n++) {
    const attempt = new Attempt(channel, settings.cache, fresh ? undefined : settings.cache);
    let lost: unknown;
    try {
      const result = await step(attempt);
      const plan = attempt.commitPlan();
      if (plan === undefined && attempt.usedCache) {
        // No commit checks the cached reads, so the answer is taken again from Firestore. Not a lost race.
        fresh = true;
        n--;
        continue;
      }
      if (plan === undefined) return result;
      try {
        attempt.committed(await channel.commit(plan));
      } catch (error) {
        if (!isLostRace(error)) throw error;
        lost = error;
      }
      if (lost === undefined) {
        settings.onCommit?.(plan.touches);
        return result;
      }
    } catch (error) {
      if (!(error instanceof LostRace)) throw error;
      lost = error;
    }
    attempt.forgetAll();
    fresh = true;
    settings.onLostRace?.(label);
    if (n >= settings.maxAttempts) throw new TooManyLostRaces(`FirestoreStore: ${label} lost ${n} races in a row; giving up`, { cause: lost });
    // Full jitter, capped low: the races are between steps that take milliseconds.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** Math.min(n, 6))));
  }
}

export function isLostRace(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && LOST_RACE_CODES.has(error.code);
}
