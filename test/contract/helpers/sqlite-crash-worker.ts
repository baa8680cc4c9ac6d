// Child-process entry for the kill -9 test: claims and finishes rows of one job without end, until it is killed.
// Usage: node --import tsx sqlite-crash-worker.ts <db-path> <job-id>. Prints `progress` once 50 rows have finished.
import { openDatabase } from '../../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../../backend/src/adapters/sqlite/sqlite-store.js';
import { LEASE_MS, T0, USAGE } from './store-fixtures.js';

const [path, jobId] = process.argv.slice(2);
if (path === undefined || jobId === undefined) throw new Error('usage: sqlite-crash-worker.ts <db-path> <job-id>');
const store = new SqliteStore(openDatabase({ path }));
const costs = [0.001, 0.002, 0.003];
const live: Array<{ rowId: string; leaseToken: number }> = [];
for (let finished = 0, now = T0; ; now++) {
  const slots = await store.dispatchRows({ jobId, maxInFlight: 8, limit: 8, now });
  for (const slot of slots) {
    const claim = await store.claimRow({ jobId, rowId: slot.rowId, dispatchSeq: slot.dispatchSeq, now, leaseMs: LEASE_MS, reserveUsd: 0.005 });
    if (claim.ok) live.push({ rowId: claim.row.rowId, leaseToken: claim.leaseToken });
  }
  // Keep the two newest claims running across iterations, so the kill always lands with rows running and money reserved.
  for (const claim of live.splice(0, Math.max(0, live.length - 2))) {
    const costUsd = costs[finished % costs.length]!;
    await store.finishRow({ jobId, ...claim, outcome: { kind: 'done', outputs: { n: finished }, cached: false, usage: USAGE, costUsd }, now });
    if (++finished === 50) process.stdout.write('progress\n');
  }
}
