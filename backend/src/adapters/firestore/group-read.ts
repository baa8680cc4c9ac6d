// Document reads of concurrent steps go to Firestore together: one batched read for many rows' steps.
import type { DocumentReference, DocumentSnapshot, Firestore } from '@google-cloud/firestore';

interface Waiting {
  readonly refs: readonly DocumentReference[];
  readonly resolve: (snapshots: DocumentSnapshot[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Documents per batched read: well under what one request may carry. */
const MAX_DOCUMENTS = 300;

/**
 * A read goes out at once while fewer than `maxInFlight` are on their way; reads asked for meanwhile wait and then go
 * as one `getAll`. Each caller gets its own documents, in its order, from one consistent snapshot taken after it asked —
 * what its own read would have returned had it been sent at that moment.
 */
export class GroupReader {
  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Firestore,
    private readonly maxInFlight: number,
  ) {}

  getAll(refs: readonly DocumentReference[]): Promise<DocumentSnapshot[]> {
    if (refs.length === 0) return Promise.resolve([]);
    return new Promise<DocumentSnapshot[]>((resolve, reject) => {
      this.waiting.push({ refs, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const group: Waiting[] = [];
      const paths = new Map<string, DocumentReference>();
      while (this.waiting.length > 0) {
        const next = this.waiting[0]!;
        const added = next.refs.filter((ref) => !paths.has(ref.path)).length;
        if (group.length > 0 && paths.size + added > MAX_DOCUMENTS) break;
        this.waiting.shift();
        group.push(next);
        for (const ref of next.refs) paths.set(ref.path, ref);
      }
      this.inFlight++;
      void this.send(group, [...paths.values()]).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(group: readonly Waiting[], refs: readonly DocumentReference[]): Promise<void> {
    try {
      const snapshots = await this.db.getAll(...refs);
      const byPath = new Map(snapshots.map((snapshot) => [snapshot.ref.path, snapshot]));
      for (const waiting of group) waiting.resolve(waiting.refs.map((ref) => byPath.get(ref.path)!));
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    }
  }
}
