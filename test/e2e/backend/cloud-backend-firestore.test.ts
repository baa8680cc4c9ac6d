// The deployed backend's HTTP suite over FirestoreStore on Google's emulator, with Cloud Tasks, Sheets and OpenAI stand-ins.
import { FirestoreStore } from '../../../backend/src/adapters/firestore/index.js';
import { emulatorClient, freshRootPath } from '../../setup/firestore-client.js';
import { firestoreEmulatorHost } from '../../setup/firestore-emulator-host.js';
import { describeCloudBackend } from './cloud-backend.suite.js';

const host = firestoreEmulatorHost();

describeCloudBackend(
  'Firestore (emulator)',
  () => {
    const firestore = emulatorClient(host!);
    const rootPath = freshRootPath('backend');
    const store = new FirestoreStore({ firestore, rootPath });
    return Promise.resolve({
      store,
      async cleanup() {
        await store.close();
        await firestore.recursiveDelete(firestore.doc(rootPath));
        await firestore.terminate();
      },
    });
  },
  !host,
);
