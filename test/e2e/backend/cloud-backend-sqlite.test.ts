// The deployed backend's HTTP suite over SqliteStore (fast); the Firestore run is in cloud-backend-firestore.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../../backend/src/adapters/sqlite/sqlite-store.js';
import { describeCloudBackend } from './cloud-backend.suite.js';

describeCloudBackend('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-backend-'));
  const db = openDatabase({ path: join(dir, 'state.db') });
  return Promise.resolve({
    store: new SqliteStore(db),
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});
