// Runs the BatchStore contract against SQLite: a temp file per test, the batch store on the same connection as the store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteBatchStore } from '../../backend/src/adapters/sqlite/batch-store.js';
import { openDatabase, type SqliteDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../backend/src/adapters/sqlite/sqlite-store.js';
import { describeBatchStoreContract, type BatchStoreHarness, type BatchStores } from './batch-store.contract.js';

/** Every reopen is its own connection to the same file, as another process would have. */
function sqliteBatchHarness(): BatchStoreHarness {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-batch-store-'));
  const path = join(dir, 'rowfill.sqlite');
  const opened: Array<{ readonly store: SqliteStore; readonly db: SqliteDatabase }> = [];
  const open = (): BatchStores => {
    const db = openDatabase({ path });
    const store = new SqliteStore(db);
    opened.push({ store, db });
    return { store, batches: new SqliteBatchStore(db) };
  };
  return {
    ...open(),
    reopen: () => Promise.resolve(open()),
    async cleanup() {
      for (const { store, db } of opened) {
        await store.close();
        db.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeBatchStoreContract('SQLite', () => Promise.resolve(sqliteBatchHarness()));
