// One racer in a multi-process budget race: claims and finishes rows of one job until the budget admits no more.
import type { Store } from '../../../backend/src/ports/store.js';
import { LEASE_MS, T0, USAGE, seededRandom } from './store-fixtures.js';

export interface RaceOptions {
  readonly jobId: string;
  readonly rowIds: readonly string[];
  readonly reserveUsd: number;
  readonly costUsd: number;
  readonly seed: number;
}

export interface RaceReport {
  /** Rows this racer claimed and finished (finishRow answered true). */
  readonly finished: string[];
  readonly budgetRefusals: number;
  /** A second finish with an already-used lease that the store wrongly accepted. */
  readonly duplicateFinishes: number;
  /** The highest spent + reserved this racer saw right after any of its claims, in nano-dollars. */
  readonly maxCommittedNanos: number;
}

/**
 * Passes over every row in a shuffled order, claiming and immediately finishing each it wins. It stops after a pass
 * that won nothing: the racer that wins last then makes one more full pass against the settled state, so when every
 * racer has stopped the budget truly admits no further row.
 */
export async function raceClaimsAndFinishes(store: Store, options: RaceOptions): Promise<RaceReport> {
  const random = seededRandom(options.seed);
  const report = { finished: [] as string[], budgetRefusals: 0, duplicateFinishes: 0, maxCommittedNanos: 0 };
  for (let won = true; won; ) {
    won = false;
    const order = [...options.rowIds].sort(() => random() - 0.5);
    for (const rowId of order) {
      const row = await store.getRow(options.jobId, rowId);
      if (row === undefined || row.status !== 'queued') continue;
      const claim = await store.claimRow({ jobId: options.jobId, rowId, dispatchSeq: row.dispatchSeq, now: T0, leaseMs: LEASE_MS, reserveUsd: options.reserveUsd });
      if (!claim.ok) {
        if (claim.reason === 'budget') report.budgetRefusals++;
        continue;
      }
      won = true;
      const { spentUsd, reservedUsd } = await store.counts(options.jobId);
      report.maxCommittedNanos = Math.max(report.maxCommittedNanos, Math.round((spentUsd + reservedUsd) * 1e9));
      const outcome = { kind: 'done', outputs: { Industry: 'x' }, cached: false, usage: USAGE, costUsd: options.costUsd } as const;
      const request = { jobId: options.jobId, rowId, leaseToken: claim.leaseToken, outcome, now: T0 + 1 };
      if (await store.finishRow(request)) report.finished.push(rowId);
      if (await store.finishRow(request)) report.duplicateFinishes++;
    }
  }
  return report;
}
