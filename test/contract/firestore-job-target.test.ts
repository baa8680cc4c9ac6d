// Firestore job documents written before targets were typed (sheetKey + a string map in meta) read back with a typed target.
import type { Firestore } from '@google-cloud/firestore';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirestoreStore } from '../../backend/src/adapters/firestore/index.js';
import { Layout } from '../../backend/src/adapters/firestore/layout.js';
import { emulatorClient, freshRootPath } from '../setup/firestore-client.js';
import { firestoreEmulatorHost } from '../setup/firestore-emulator-host.js';
import { T0, newJob } from './helpers/store-fixtures.js';

const host = firestoreEmulatorHost();

describe.skipIf(!host)('FirestoreStore and job documents of the previous version', () => {
  let rootPath: string;
  let client: Firestore;
  let store: FirestoreStore;

  beforeEach(() => {
    rootPath = freshRootPath();
    client = emulatorClient(host!);
    store = new FirestoreStore({ firestore: client, rootPath });
  });

  afterEach(async () => {
    await store.close();
    await client.recursiveDelete(client.doc(rootPath));
    await client.terminate();
  });

  it('lists a sheet job and a file job whose documents hold only sheetKey and meta, each with its typed target', async () => {
    const sheetJob = newJob({ createdAt: T0 + 1 });
    const fileJob = newJob({ createdAt: T0 });
    for (const job of [sheetJob, fileJob]) await store.createJob(job, job.createdAt);
    // Rewrite both documents' target fields exactly as the previous version's createJob wrote them.
    const layout = new Layout(client, rootPath);
    await layout.job(sheetJob.id).update({ sheetKey: 'sheets:abc/0', meta: JSON.stringify({ spreadsheetId: 'abc', sheetId: '0', spreadsheetTitle: 'Leads', sheetTitle: 'Sheet1' }) });
    await layout.job(fileJob.id).update({ sheetKey: 'file:/data/in.csv', meta: JSON.stringify({ source: '/data/in.csv', out: '/data/out.csv', limit: '10', replace: '["Website"]' }) });

    expect((await store.getJob(sheetJob.id))?.target).toEqual({ kind: 'sheet', spreadsheetId: 'abc', sheetId: 0, spreadsheetTitle: 'Leads', sheetTitle: 'Sheet1' });
    expect((await store.listJobs({ target: { kind: 'sheet', spreadsheetId: 'abc', sheetId: 0 } })).map((j) => j.id)).toEqual([sheetJob.id]);
    const [file] = await store.listJobs({ target: { kind: 'file', source: '/data/in.csv', out: '/anything.csv' } });
    expect(file?.target).toEqual({ kind: 'file', source: '/data/in.csv', out: '/data/out.csv', limit: 10, replace: ['Website'] });
  });
});
