// Runs the Queue contract against LocalQueue on a temporary SQLite file; a restart is a new connection and queue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalQueue } from '../../backend/src/adapters/local-queue/index.js';
import { openDatabase, type SqliteDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { describeQueueContract } from './queue.contract.js';

describeQueueContract('LocalQueue on SQLite', (settings) => {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-queue-'));
  const path = join(dir, 'rowfill.sqlite');
  const dbs: SqliteDatabase[] = [];
  const queues: LocalQueue[] = [];
  const open = (recoverInFlight: boolean): LocalQueue => {
    const db = openDatabase({ path });
    dbs.push(db);
    const queue = new LocalQueue({ db, ...settings, recoverInFlight });
    queues.push(queue);
    return queue;
  };
  return Promise.resolve({
    queue: open(false),
    restart: () => {
      // halt() forgets in-flight outcomes as a crash would; closing its connection proves it never writes again.
      const crashed = queues.at(-1)!;
      crashed.halt();
      dbs.at(-1)!.close();
      return Promise.resolve(open(true));
    },
    cleanup: () => {
      for (const queue of queues) queue.halt();
      for (const db of dbs) if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});
