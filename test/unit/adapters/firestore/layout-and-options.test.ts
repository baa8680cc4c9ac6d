// Document ids and options: ids are hashed and stable, shards spread, and bad options fail with exact messages.
import { Firestore } from '@google-cloud/firestore';
import { afterAll, describe, expect, it } from 'vitest';
import { FirestoreStore } from '../../../../backend/src/adapters/firestore/index.js';
import { docId, shardOf } from '../../../../backend/src/adapters/firestore/layout.js';
import type { FirestoreStoreOptions } from '../../../../backend/src/adapters/firestore/options.js';

// Constructing a client opens no connection; nothing here talks to a server.
const firestore = new Firestore({ projectId: 'rowfill-unit', host: '127.0.0.1:1', ssl: false });
afterAll(() => firestore.terminate());

describe('document ids', () => {
  it('hashes any text, even text Firestore refuses as an id, to a stable 32-character id', () => {
    for (const id of ['r1', 'a/b', '__name__', '..', '', 'x'.repeat(2_000)]) {
      expect(docId(id)).toMatch(/^[0-9a-f]{32}$/);
      expect(docId(id)).toBe(docId(id));
    }
    expect(docId('r1')).not.toBe(docId('r2'));
  });

  it('spreads rows over every shard', () => {
    const seen = new Set(Array.from({ length: 2_000 }, (_, i) => shardOf(`r${i}`, 32)));
    expect(seen.size).toBe(32);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(31);
  });
});

describe('FirestoreStore options', () => {
  const make = (options: Partial<FirestoreStoreOptions>) => () => new FirestoreStore({ firestore, rootPath: 'rowfill/test', ...options });

  it('refuses bad options with exact messages', () => {
    expect(make({ firestore: {} as Firestore })).toThrow('FirestoreStore: options.firestore must be a Firestore client');
    const rootPath = 'FirestoreStore: options.rootPath must be a document path such as "rowfill/default" (an even number of non-empty segments)';
    for (const bad of ['rowfill', 'a//b', 'a/b/c', '', 'a/__x__']) expect(make({ rootPath: bad })).toThrow(rootPath);
    expect(make({ counterShards: 0 })).toThrow('FirestoreStore: options.counterShards must be an integer from 1 to 482, got 0');
    expect(make({ counterShards: 1.5 })).toThrow('FirestoreStore: options.counterShards must be an integer from 1 to 482, got 1.5');
    // The job, every counter and window shard and the pool are written in one commit of at most 500.
    expect(make({ counterShards: 483 })).toThrow('FirestoreStore: options.counterShards must be an integer from 1 to 482, got 483');
    expect(make({ counterShards: 435, windowShards: 64 })).toThrow('FirestoreStore: options.counterShards must be an integer from 1 to 434, got 435');
    expect(make({ counterShards: 434, windowShards: 64 })).not.toThrow();
    expect(make({ windowShards: 65 })).toThrow('FirestoreStore: options.windowShards must be an integer from 1 to 64, got 65');
    expect(make({ maxCommitAttempts: 0 })).toThrow('FirestoreStore: options.maxCommitAttempts must be an integer from 1 up, got 0');
    expect(make({ closeFirestore: 'yes' as unknown as boolean })).toThrow('FirestoreStore: options.closeFirestore must be a boolean');
    expect(make({ onCommit: 1 as unknown as () => void })).toThrow('FirestoreStore: options.onCommit must be a function');
    expect(make({ onLostRace: 1 as unknown as () => void })).toThrow('FirestoreStore: options.onLostRace must be a function');
  });

  it('accepts a nested root and rejects every call once closed', async () => {
    const store = new FirestoreStore({ firestore, rootPath: 'tenants/acme/rowfill/default' });
    await store.close();
    await store.close();
    await expect(store.getJob('j')).rejects.toThrow('FirestoreStore is closed');
  });
});
