// Child process entry for one engine-overhead run: CSV in through the CLI's file path, instant model, CSV out.
import { join } from 'node:path';
import { LocalQueue } from '../../backend/src/adapters/local-queue/index.js';
import { openDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../backend/src/adapters/sqlite/sqlite-store.js';
import { systemClock } from '../../backend/src/adapters/system-clock/system-clock.js';
import { fileTarget, openFileSource, writeFileResults } from '../../backend/src/cli/file-job.js';
import { ALL_ROWS } from '../../backend/src/cli/row-selection.js';
import { composeEngine } from '../../backend/src/compose/engine.js';
import { childMain } from '../lib/child-main.js';
import { diskWriteBytes } from '../lib/disk-writes.js';
import { benchJobConfig, INPUTS, OUTPUTS } from '../lib/job-config.js';
import { startPeakRss } from '../lib/peak-rss.js';
import { settleJob } from '../lib/settle.js';
import { InstantModel } from './instant-model.js';
import type { OverheadInput, OverheadResult } from './overhead-case.js';

await childMain<OverheadInput, OverheadResult>(async (input) => {
  const loadedRssBytes = process.memoryUsage().rss;
  const rss = startPeakRss();
  const writtenBefore = diskWriteBytes();
  const cpuBefore = process.cpuUsage();
  const db = openDatabase({ path: join(input.workDir, 'rowfill.db') });
  const store = new SqliteStore(db);
  // The embedded default's queue settings, with the dispatch rate raised so the queue is not what is measured.
  const queue = new LocalQueue({ db, clock: systemClock, recoverInFlight: true, maxDispatchesPerSecond: 20_000, maxConcurrentDispatches: 1000 });
  const model = new InstantModel();
  const engine = composeEngine({ store, queue, model, clock: systemClock }, { pumpIntervalMs: 1000 });
  try {
    const started = performance.now();
    const source = await openFileSource(input.csvPath, INPUTS, OUTPUTS.map((o) => o.name));
    const job = await engine.startJob({
      owner: 'bench',
      target: fileTarget(source, join(input.workDir, 'out.csv')),
      // No rpm/tpm: nothing but the engine itself limits the pace. The budget is the largest a job may have.
      config: benchJobConfig({ workers: 50, budgetUsd: 10_000 }),
      rows: source.rows(ALL_ROWS, undefined),
    });
    const intakeDone = performance.now();
    queue.start(engine.handleTask);
    const last = await settleJob(engine, job.id, input.timeoutMs);
    const settled = performance.now();
    await queue.stop();
    await writeFileResults(store, last.job);
    const written = performance.now();
    const cpu = process.cpuUsage(cpuBefore);
    return {
      endToEndMs: written - started,
      intakeMs: intakeDone - started,
      runMs: settled - intakeDone,
      writeMs: written - settled,
      rows: last.counts.total,
      doneRows: last.counts.done,
      failedRows: last.counts.failed + last.counts.queued,
      modelCalls: model.calls,
      peakRssBytes: rss.peak(),
      loadedRssBytes,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      diskWriteBytes: writtenBefore === undefined ? null : (diskWriteBytes() ?? writtenBefore) - writtenBefore,
    };
  } finally {
    await queue.stop();
    await store.close();
    db.close();
  }
});
