// What this process last saw of each document it read or wrote (content and update time), so a step may skip a read.
import type { DocumentData, DocumentSnapshot, Timestamp } from '@google-cloud/firestore';

/** A document as last seen: its fields and the update time they belong to. */
export interface Seen {
  readonly data: DocumentData;
  readonly updateTime: Timestamp;
}

/**
 * Safe to be stale by construction: a step that uses an entry pins it by its update time, so a document changed since
 * (by another process, or a write not seen here) fails the commit and the step re-runs on fresh reads (occ.ts). So an
 * entry saves a round trip when it is current and costs one lost race when it is not. Bounded: the oldest go first.
 */
export class SnapshotCache {
  private readonly entries = new Map<string, Seen>();

  constructor(private readonly capacity: number) {}

  get(path: string): Seen | undefined {
    return this.entries.get(path);
  }

  set(path: string, seen: Seen): void {
    const prior = this.entries.get(path);
    // Never step back: a slower read must not replace a newer write's content.
    if (prior !== undefined && prior.updateTime.valueOf() > seen.updateTime.valueOf()) return;
    this.entries.delete(path);
    this.entries.set(path, seen);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** A document just read: remembered when it exists, forgotten when it does not. */
  saw(snapshot: DocumentSnapshot): void {
    if (snapshot.exists && snapshot.updateTime !== undefined) this.set(snapshot.ref.path, { data: snapshot.data()!, updateTime: snapshot.updateTime });
    else this.forget(snapshot.ref.path);
  }

  forget(path: string): void {
    this.entries.delete(path);
  }
}
