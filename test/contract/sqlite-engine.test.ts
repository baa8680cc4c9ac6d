// Runs the engine contract over the embedded default: SqliteStore and LocalQueue sharing one SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalQueue } from '../../backend/src/adapters/local-queue/index.js';
import { openDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../backend/src/adapters/sqlite/sqlite-store.js';
import { describeEngineContract } from './engine.contract.js';

describeEngineContract('SqliteStore + LocalQueue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-engine-'));
  const db = openDatabase({ path: join(dir, 'rowfill.db') });
  return Promise.resolve({
    store: new SqliteStore(db),
    queue: new LocalQueue({ db, pollIntervalMs: 20, minBackoffMs: 20, maxBackoffMs: 2000 }),
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});
