// Commits of concurrent steps that touch different documents go to Firestore together: one round trip for many rows.
import type { Firestore, WriteBatch, WriteResult } from '@google-cloud/firestore';

/** One step's commit: the documents it writes or pins, and how it adds them (with their preconditions) to a batch. */
export interface StepCommit {
  readonly paths: readonly string[];
  /** Operations it adds to a batch; each gets one WriteResult, in order. */
  readonly operations: number;
  apply(batch: WriteBatch): void;
}

interface Waiting {
  readonly step: StepCommit;
  readonly resolve: (results: WriteResult[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Firestore's limit on operations in one commit. */
const MAX_OPERATIONS = 500;

/**
 * A commit goes out at once while fewer than `maxInFlight` are on their way; the ones that arrive meanwhile wait and
 * then leave together, as one batch. Steps are grouped only when no document is in two of them, so the group commit is
 * each step's own commit, all landing at one instant: every precondition still holds or the whole group is refused.
 * A refusal (a precondition failed: someone's race was lost) sends the group's steps again one by one, so only the
 * loser re-runs. Any other error fails every step of the group, as it would have failed each alone.
 */
export class GroupCommitter {
  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Firestore,
    private readonly maxInFlight: number,
    private readonly isLostRace: (error: unknown) => boolean,
  ) {}

  commit(step: StepCommit): Promise<WriteResult[]> {
    return new Promise<WriteResult[]>((resolve, reject) => {
      this.waiting.push({ step, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const group = this.takeGroup();
      this.inFlight++;
      void this.send(group).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The oldest waiting step, and every later one that fits beside it (no shared document, within the size limit). */
  private takeGroup(): Waiting[] {
    const group: Waiting[] = [];
    const rest: Waiting[] = [];
    const paths = new Set<string>();
    let operations = 0;
    for (const waiting of this.waiting) {
      const fits = operations + waiting.step.operations <= MAX_OPERATIONS && waiting.step.paths.every((path) => !paths.has(path));
      if (!fits && group.length > 0) {
        rest.push(waiting);
        continue;
      }
      group.push(waiting);
      for (const path of waiting.step.paths) paths.add(path);
      operations += waiting.step.operations;
    }
    this.waiting = rest;
    return group;
  }

  private async send(group: readonly Waiting[]): Promise<void> {
    try {
      const results = await this.commitTogether(group.map((waiting) => waiting.step));
      let offset = 0;
      for (const waiting of group) {
        waiting.resolve(results.slice(offset, offset + waiting.step.operations));
        offset += waiting.step.operations;
      }
    } catch (error) {
      if (group.length === 1 || !this.isLostRace(error)) {
        for (const waiting of group) waiting.reject(error);
        return;
      }
      await Promise.all(group.map((waiting) => this.commitTogether([waiting.step]).then(waiting.resolve, waiting.reject)));
    }
  }

  private commitTogether(steps: readonly StepCommit[]): Promise<WriteResult[]> {
    const batch = this.db.batch();
    for (const step of steps) step.apply(batch);
    return batch.commit();
  }
}
