// Runs the engine contract over FirestoreStore (emulator) with the LocalQueue on a temp SQLite file as the queue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { FirestoreStore } from '../../backend/src/adapters/firestore/index.js';
import { LocalQueue } from '../../backend/src/adapters/local-queue/index.js';
import { openDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { emulatorClient, freshRootPath } from '../setup/firestore-client.js';
import { firestoreEmulatorHost } from '../setup/firestore-emulator-host.js';
import { describeEngineContract } from './engine.contract.js';

const host = firestoreEmulatorHost();

describe.skipIf(!host)('FirestoreStore on the emulator', () => {
  describeEngineContract('FirestoreStore + LocalQueue', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowfill-fs-engine-'));
    const db = openDatabase({ path: join(dir, 'queue.db') });
    const firestore = emulatorClient(host!);
    const rootPath = freshRootPath();
    const store = new FirestoreStore({ firestore, rootPath });
    return Promise.resolve({
      store,
      queue: new LocalQueue({ db, pollIntervalMs: 20, minBackoffMs: 20, maxBackoffMs: 2000 }),
      async cleanup() {
        await store.close();
        await firestore.recursiveDelete(firestore.doc(rootPath));
        await firestore.terminate();
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  });
});
