// Child process entry: fills a state file with one finished N-row job (instant model), for timing `rowfill status|jobs` on it.
import { LocalQueue } from '../../backend/src/adapters/local-queue/index.js';
import { openDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../backend/src/adapters/sqlite/sqlite-store.js';
import { systemClock } from '../../backend/src/adapters/system-clock/system-clock.js';
import { fileTarget, openFileSource } from '../../backend/src/cli/file-job.js';
import { ALL_ROWS } from '../../backend/src/cli/row-selection.js';
import { composeEngine } from '../../backend/src/compose/engine.js';
import { childMain } from '../lib/child-main.js';
import { benchJobConfig, INPUTS, OUTPUTS } from '../lib/job-config.js';
import { settleJob } from '../lib/settle.js';
import { InstantModel } from '../overhead/instant-model.js';

export interface MakeDbInput {
  readonly csvPath: string;
  readonly dbPath: string;
  readonly outPath: string;
  readonly timeoutMs: number;
}

await childMain<MakeDbInput, { rows: number }>(async (input) => {
  const db = openDatabase({ path: input.dbPath });
  const store = new SqliteStore(db);
  const queue = new LocalQueue({ db, clock: systemClock, recoverInFlight: true, maxDispatchesPerSecond: 20_000, maxConcurrentDispatches: 1000 });
  const engine = composeEngine({ store, queue, model: new InstantModel(), clock: systemClock }, { pumpIntervalMs: 1000 });
  try {
    const source = await openFileSource(input.csvPath, INPUTS, OUTPUTS.map((o) => o.name));
    const job = await engine.startJob({
      owner: 'bench',
      target: fileTarget(source, input.outPath),
      config: benchJobConfig({ workers: 50, budgetUsd: 10_000 }),
      rows: source.rows(ALL_ROWS, undefined),
    });
    queue.start(engine.handleTask);
    const last = await settleJob(engine, job.id, input.timeoutMs);
    return { rows: last.counts.total };
  } finally {
    await queue.stop();
    await store.close();
    db.close();
  }
});
