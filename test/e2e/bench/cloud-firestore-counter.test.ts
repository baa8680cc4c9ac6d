// The cloud bench's Firestore counts, on Google's emulator with the real client: what a store's steps would be billed.
import { afterAll, describe, expect, it } from 'vitest';
import { countFirestore } from '../../../bench/cloud/firestore-counter.js';
import { emulatorClient, freshRootPath } from '../../setup/firestore-client.js';
import { firestoreEmulatorHost } from '../../setup/firestore-emulator-host.js';

const host = firestoreEmulatorHost();

describe.skipIf(!host)('countFirestore', () => {
  const firestore = host ? emulatorClient(host) : undefined;
  const rootPath = freshRootPath('bench');
  afterAll(async () => {
    if (!firestore) return;
    await firestore.recursiveDelete(firestore.doc(rootPath));
    await firestore.terminate();
  });

  it('counts commits, writes per document and documents read, as Firestore bills them', async () => {
    const db = firestore!;
    const counter = countFirestore(db, rootPath);
    const root = db.doc(rootPath);
    const batch = db.batch();
    batch.set(root.collection('rows').doc('a'), { n: 1 });
    batch.set(root.collection('rows').doc('b'), { n: 1 });
    batch.set(root.collection('counters').doc('0'), { n: 1 });
    await batch.commit();
    await root.collection('counters').doc('0').update({ n: 2 });
    await root.collection('rows').doc('a').get();
    await db.getAll(root.collection('rows').doc('b'), root.collection('rows').doc('missing'));
    await root.collection('rows').where('n', '==', 1).get();
    await root.collection('rows').where('n', '==', 99).get();
    await db.runTransaction(async (tx) => {
      const snap = await tx.get(root.collection('counters').doc('0'));
      tx.update(snap.ref, { n: (snap.get('n') as number) + 1 });
    });
    const counts = counter.counts();
    expect(counts.commits).toBe(3);
    // 3 + 1 + 1 document writes; the counter shard took three of them.
    expect(counts.writes).toBe(5);
    expect(counts.documentsWritten).toBe(3);
    expect(counts.hottest[0]).toMatchObject({ path: 'counters/0', writes: 3 });
    // get 1, getAll 2 (a missing document is read too), query 2, empty query 1 (the minimum charge), transaction 1.
    expect(counts.documentReads).toBe(7);
  });
});
