// Optimistic steps: read without locks, decide, then commit one batch whose preconditions pin everything the decision read.
import type { DocumentData, DocumentReference, DocumentSnapshot, Firestore, Query, QueryDocumentSnapshot, Timestamp } from '@google-cloud/firestore';
import type { CommitTouch } from './options.js';
import { SCHEMA } from './records.js';

/**
 * Why not `runTransaction`: Firestore's server transactions lock what they read. The emulator (and a pessimistic
 * production database) then deadlocks two transactions that read the same document and both write it, until a 2 s lock
 * timeout aborts both — with 50 workers on one job that is a livelock. Here nothing is locked between read and commit:
 * every document a step read is pinned in its commit (`lastUpdateTime` for one it changes; for one it only read, an
 * update rewriting `schema` to the same value — Firestore keeps a document's update time on a write that changes
 * nothing — or `exists: false` for one it found missing). The batch commits atomically only if none changed since it was
 * read, which is exactly serializable for what the step looked at; a lost race re-runs the step on fresh reads.
 */
export class Attempt {
  private readonly reads = new Map<string, { readonly ref: DocumentReference; readonly updateTime: Timestamp | undefined; pinned: boolean }>();
  private readonly writes = new Map<string, { readonly ref: DocumentReference; readonly kind: 'create' | 'update' | 'delete' | 'set'; readonly data: DocumentData }>();

  constructor(private readonly db: Firestore) {}

  /** One consistent snapshot of `refs`, in order. Pinned by default; `pin: false` for reads whose staleness is safe. */
  async getAll(refs: readonly DocumentReference[], options: { readonly pin?: boolean } = {}): Promise<DocumentSnapshot[]> {
    if (refs.length === 0) return [];
    const snapshots = await this.db.getAll(...refs);
    for (const snapshot of snapshots) this.record(snapshot.ref, snapshot.exists ? snapshot.updateTime : undefined, options.pin ?? true);
    return snapshots;
  }

  async query(query: Query, options: { readonly pin?: boolean } = {}): Promise<QueryDocumentSnapshot[]> {
    const snapshot = await query.get();
    for (const doc of snapshot.docs) this.record(doc.ref, doc.updateTime, options.pin ?? true);
    return snapshot.docs;
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

  /** The batch to commit (undefined when the step wrote nothing: a read-only answer needs no commit). */
  commitPlan(): { readonly commit: () => Promise<unknown>; readonly touches: CommitTouch[] } | undefined {
    if (this.writes.size === 0) return undefined;
    const batch = this.db.batch();
    const touches: CommitTouch[] = [];
    for (const [path, write] of this.writes) {
      const read = this.reads.get(path);
      touches.push({ path, kind: 'write' });
      const pinned = read?.pinned === true && read.updateTime !== undefined ? { lastUpdateTime: read.updateTime } : undefined;
      if (write.kind === 'create') batch.create(write.ref, write.data);
      else if (write.kind === 'set') batch.set(write.ref, write.data);
      else if (write.kind === 'delete') batch.delete(write.ref, pinned);
      else if (pinned) batch.update(write.ref, write.data, pinned);
      else batch.update(write.ref, write.data);
    }
    for (const [path, read] of this.reads) {
      if (!read.pinned || this.writes.has(path)) continue;
      touches.push({ path, kind: 'pin' });
      if (read.updateTime === undefined) batch.delete(read.ref, { exists: false });
      else batch.update(read.ref, { schema: SCHEMA }, { lastUpdateTime: read.updateTime });
    }
    return { commit: () => batch.commit(), touches };
  }

  /** A document read twice in one attempt must not have changed in between: the attempt would mix two states. */
  private record(ref: DocumentReference, updateTime: Timestamp | undefined, pin: boolean): void {
    const prior = this.reads.get(ref.path);
    if (prior === undefined) {
      this.reads.set(ref.path, { ref, updateTime, pinned: pin });
      return;
    }
    const same = prior.updateTime === undefined ? updateTime === undefined : updateTime !== undefined && prior.updateTime.isEqual(updateTime);
    if (!same) throw new LostRace(`${ref.path} changed while the step was reading`);
    if (pin) prior.pinned = true;
  }
}

/** Thrown to re-run a step on fresh reads. */
export class LostRace extends Error {}

export interface OccSettings {
  readonly db: Firestore;
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
  for (let n = 1; ; n++) {
    const attempt = new Attempt(settings.db);
    let lost: unknown;
    try {
      const result = await step(attempt);
      const plan = attempt.commitPlan();
      if (plan === undefined) return result;
      try {
        await plan.commit();
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
    settings.onLostRace?.(label);
    if (n >= settings.maxAttempts) throw new Error(`FirestoreStore: ${label} lost ${n} races in a row; giving up`, { cause: lost });
    // Full jitter, capped low: the races are between steps that take milliseconds.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** Math.min(n, 6))));
  }
}

function isLostRace(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && LOST_RACE_CODES.has(error.code);
}
