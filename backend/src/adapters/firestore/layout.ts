// Where each document lives under the store's root, and how arbitrary ids become safe, evenly spread document ids.
import { createHash } from 'node:crypto';
import type { CollectionReference, DocumentReference, Firestore } from '@google-cloud/firestore';

/**
 * Ids are hashed, never used as document ids directly: a row id is arbitrary sheet text (it may hold `/` or be
 * `__x__`), and hashed ids spread writes over Firestore's key space instead of hot-spotting on `r1, r2, r3…`.
 */
export function docId(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 32);
}

/** The counter shard rows were put on by hash before they were dealt out in row order (add-rows.ts): jobs stored then still use it, and a step guesses it for a row it has not seen. */
export function shardOf(rowId: string, shards: number): number {
  return Number.parseInt(createHash('sha256').update(rowId).digest('hex').slice(0, 8), 16) % shards;
}

/**
 * `<root>/jobs/{job}`                    the job: identity, config, status (changes only on transitions)
 * `<root>/jobs/{job}/rows/{row}`         one per row
 * `<root>/jobs/{job}/counters/{k}`       counter shards: status counts, money, budget allowance, released slots
 * `<root>/jobs/{job}/window/{k}`         window shards: dispatched-slot counters
 * `<root>/jobs/{job}/budget/pool`        how much of the budget is handed out to counter shards
 * `<root>/cache/{key}`, `<root>/cacheHolds/{key}`, `<root>/registry/{sheet,row}`
 */
export class Layout {
  readonly root: DocumentReference;

  constructor(db: Firestore, rootPath: string) {
    this.root = db.doc(rootPath);
  }

  jobs(): CollectionReference {
    return this.root.collection('jobs');
  }

  job(jobId: string): DocumentReference {
    return this.jobs().doc(docId(jobId));
  }

  rows(jobId: string): CollectionReference {
    return this.job(jobId).collection('rows');
  }

  row(jobId: string, rowId: string): DocumentReference {
    return this.rows(jobId).doc(docId(rowId));
  }

  counters(jobId: string): CollectionReference {
    return this.job(jobId).collection('counters');
  }

  counter(jobId: string, k: number): DocumentReference {
    return this.counters(jobId).doc(String(k));
  }

  windows(jobId: string): CollectionReference {
    return this.job(jobId).collection('window');
  }

  window(jobId: string, k: number): DocumentReference {
    return this.windows(jobId).doc(String(k));
  }

  pool(jobId: string): DocumentReference {
    return this.job(jobId).collection('budget').doc('pool');
  }

  cache(key: string): DocumentReference {
    return this.root.collection('cache').doc(docId(key));
  }

  /** Single flight per cache key: its own document, so cache reads and expiry deletes never touch a hold. */
  cacheHold(key: string): DocumentReference {
    return this.root.collection('cacheHolds').doc(docId(key));
  }

  registry(sheetKey: string, rowId: string): DocumentReference {
    return this.root.collection('registry').doc(docId(`${sheetKey}\u0000${rowId}`));
  }
}
