// Runs the Queue and Engine contracts on CloudTasksQueue: the real @google-cloud/tasks client against the local stand-in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTasksClient } from '@google-cloud/tasks';
import { afterAll, beforeAll } from 'vitest';
import { CloudTasksQueue } from '../../backend/src/adapters/cloud-tasks/index.js';
import { openDatabase } from '../../backend/src/adapters/sqlite/database.js';
import { SqliteStore } from '../../backend/src/adapters/sqlite/sqlite-store.js';
import { startCloudTasksStandIn, type CloudTasksStandIn } from '../../local/cloud-tasks/server.js';
import { startTaskTarget, type TaskTarget } from '../../local/cloud-tasks/task-target.js';
import { describeEngineContract } from './engine.contract.js';
import { describeQueueContract, type QueueContractSettings } from './queue.contract.js';

const LOCATION = 'projects/rowfill-test/locations/local';
const SERVICE_ACCOUNT = 'rowfill-tasks@rowfill-test.iam.gserviceaccount.com';
/** Cloud Tasks refuses a queue faster than this; the contract's 1000/s default is mapped onto it. */
const MAX_RATE = 500;

let standIn: CloudTasksStandIn;
let client: CloudTasksClient;
let queueCount = 0;

beforeAll(async () => {
  standIn = await startCloudTasksStandIn();
  client = new CloudTasksClient({ ...standIn.clientOptions });
});

afterAll(async () => {
  await client.close();
  await standIn.close();
});

const duration = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 });

/** A fresh Cloud Tasks queue with the contract's settings, created paused: the adapter resumes it in start(). */
async function createQueue(settings: QueueContractSettings): Promise<string> {
  const name = `${LOCATION}/queues/contract-${process.pid}-${++queueCount}`;
  await client.createQueue({
    parent: LOCATION,
    queue: {
      name,
      rateLimits: { maxDispatchesPerSecond: Math.min(settings.maxDispatchesPerSecond, MAX_RATE), maxConcurrentDispatches: settings.maxConcurrentDispatches },
      retryConfig: { maxAttempts: -1, minBackoff: duration(settings.minBackoffMs), maxBackoff: duration(settings.maxBackoffMs) },
    },
  });
  await client.pauseQueue({ name });
  return name;
}

interface Wiring {
  readonly queuePath: string;
  readonly target: TaskTarget;
  /** The queue the target hands deliveries to: the latest one opened. */
  current(): CloudTasksQueue;
  open(): CloudTasksQueue;
  cleanup(): Promise<void>;
}

/**
 * The target plays the Cloud Run service: it passes every POST /tasks/<kind> to the current queue's receive().
 * pauseQueueWhenStopped holds tasks enqueued before start() in the queue, as the embedded queue does, instead of
 * dispatching them into 503s; this process is the queue's only consumer, which is what that option requires.
 */
async function wire(settings: QueueContractSettings): Promise<Wiring> {
  const queuePath = await createQueue(settings);
  const queues: CloudTasksQueue[] = [];
  const current = (): CloudTasksQueue => queues.at(-1)!;
  const target = await startTaskTarget({
    handle: (request, respond) => current().receive({ body: request.body, headers: request.headers, kind: request.path === '/tasks/pump' ? 'pump' : 'row' }, respond),
  });
  const open = (): CloudTasksQueue => {
    const queue = new CloudTasksQueue({ client, queuePath, targetBaseUrl: target.url, serviceAccountEmail: SERVICE_ACCOUNT, pauseQueueWhenStopped: true });
    queues.push(queue);
    return queue;
  };
  return {
    queuePath,
    target,
    current,
    open,
    cleanup: async () => {
      for (const queue of queues) queue.halt();
      await client.deleteQueue({ name: queuePath });
      await target.close();
    },
  };
}

describeQueueContract('CloudTasksQueue on the Cloud Tasks stand-in', async (settings) => {
  const wiring = await wire(settings);
  return {
    queue: wiring.open(),
    // A crash of the serving process: its unanswered requests lose their connections (Cloud Tasks retries them after
    // its backoff) and its queue object never answers again. Cloud Tasks itself, and its tombstones, live on.
    restart: () => {
      wiring.current().halt();
      wiring.target.crash();
      return Promise.resolve(wiring.open());
    },
    cleanup: () => wiring.cleanup(),
  };
});

describeEngineContract('SqliteStore + CloudTasksQueue (Cloud Tasks stand-in)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rowfill-cloud-tasks-engine-'));
  const db = openDatabase({ path: join(dir, 'rowfill.db') });
  const wiring = await wire({ maxDispatchesPerSecond: MAX_RATE, maxConcurrentDispatches: 100, minBackoffMs: 20, maxBackoffMs: 2000 });
  return {
    store: new SqliteStore(db),
    queue: wiring.open(),
    cleanup: async () => {
      await wiring.cleanup();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
