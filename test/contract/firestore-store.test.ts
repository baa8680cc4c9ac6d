// Runs the Store contract against FirestoreStore on Google's emulator: a fresh root per test, a second client per reopen.
import type { Firestore } from '@google-cloud/firestore';
import { describe } from 'vitest';
import { FirestoreStore } from '../../backend/src/adapters/firestore/index.js';
import type { Store } from '../../backend/src/ports/store.js';
import { emulatorClient, freshRootPath } from '../setup/firestore-client.js';
import { firestoreEmulatorHost } from '../setup/firestore-emulator-host.js';
import type { StoreHarness } from './helpers/store-harness.js';
import { describeStoreContract } from './store.contract.js';

const host = firestoreEmulatorHost();

/** Every store opened on the harness gets its own client, as separate processes would; cleanup deletes the root. */
function firestoreHarness(emulatorHost: string): StoreHarness {
  const rootPath = freshRootPath();
  const clients: Firestore[] = [];
  const stores: Store[] = [];
  const open = (): Store => {
    const firestore = emulatorClient(emulatorHost);
    clients.push(firestore);
    const store = new FirestoreStore({ firestore, rootPath });
    stores.push(store);
    return store;
  };
  return {
    store: open(),
    reopen: () => Promise.resolve(open()),
    async cleanup() {
      for (const store of stores) await store.close();
      await clients[0]!.recursiveDelete(clients[0]!.doc(rootPath));
      for (const client of clients) await client.terminate();
    },
  };
}

describe.skipIf(!host)('FirestoreStore on the emulator', () => {
  describeStoreContract('Firestore', () => Promise.resolve(firestoreHarness(host!)));
});
