// CloudTasksQueue with the real client against the stand-in: the tasks it creates, continuations, and the receive() lifecycle.
import { CloudTasksClient } from '@google-cloud/tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudTasksQueue, DeliveryAbandonedError, type TaskAnswer, type TaskHttpRequest } from '../../../../backend/src/adapters/cloud-tasks/index.js';
import type { DeliveredTask, TaskOutcome } from '../../../../backend/src/ports/queue.js';
import { startCloudTasksStandIn, type CloudTasksStandIn } from '../../../../local/cloud-tasks/server.js';

const LOCATION = 'projects/p/locations/l';
const SERVICE_ACCOUNT = 'tasks@p.iam.gserviceaccount.com';
const BASE_URL = 'http://127.0.0.1:9/service';

let standIn: CloudTasksStandIn;
let client: CloudTasksClient;
let count = 0;

beforeAll(async () => {
  standIn = await startCloudTasksStandIn();
  client = new CloudTasksClient({ ...standIn.clientOptions });
});
afterAll(async () => {
  await client.close();
  await standIn.close();
});

/** A paused queue (nothing is dispatched, so what enqueue created can be read back) and an adapter on it. */
async function pausedQueue(options: { pauseQueueWhenStopped?: boolean } = {}): Promise<{ queue: CloudTasksQueue; queuePath: string }> {
  const queuePath = `${LOCATION}/queues/unit-${++count}`;
  await client.createQueue({ parent: LOCATION, queue: { name: queuePath } });
  await client.pauseQueue({ name: queuePath });
  return { queuePath, queue: new CloudTasksQueue({ client, queuePath, targetBaseUrl: BASE_URL, serviceAccountEmail: SERVICE_ACCOUNT, ...options }) };
}

const request = (body: object, retryCount = 0, kind?: 'row' | 'pump'): TaskHttpRequest => ({
  body: Buffer.from(JSON.stringify(body)),
  headers: { 'x-cloudtasks-taskretrycount': String(retryCount) },
  ...(kind ? { kind } : {}),
});
const rowBody = (name: string) => ({ name, kind: 'row', payload: { jobId: 'j', rowId: name } });

async function receive(queue: CloudTasksQueue, req: TaskHttpRequest): Promise<TaskAnswer> {
  let answer: TaskAnswer | undefined;
  await queue.receive(req, (a) => {
    answer = a;
  });
  return answer!;
}

describe('CloudTasksQueue.enqueue', () => {
  it('creates an HTTP POST task with a JSON body, an OIDC token, its schedule time and dispatch deadline', async () => {
    const { queue, queuePath } = await pausedQueue();
    const scheduleAt = Date.now() + 60_000.4;
    expect(await queue.enqueue([{ name: 'row-abc', kind: 'row', payload: { jobId: 'j', rowId: 'r', dispatchSeq: 1 }, scheduleAt }])).toEqual({ enqueued: 1, existing: 0 });
    const [task] = await client.getTask({ name: `${queuePath}/tasks/row-abc`, responseView: 'FULL' });
    expect(task.httpRequest).toMatchObject({
      url: `${BASE_URL}/tasks/row`,
      httpMethod: 'POST',
      headers: { 'Content-Type': 'application/json' },
      oidcToken: { serviceAccountEmail: SERVICE_ACCOUNT, audience: BASE_URL },
    });
    expect(JSON.parse(Buffer.from(task.httpRequest!.body as Uint8Array).toString())).toEqual({ name: 'row-abc', kind: 'row', payload: { jobId: 'j', rowId: 'r', dispatchSeq: 1 } });
    expect(Number(task.scheduleTime!.seconds) * 1000 + task.scheduleTime!.nanos! / 1e6).toBe(Math.ceil(scheduleAt));
    expect(task.dispatchDeadline).toMatchObject({ seconds: '600' });
  });

  it('counts names already there as existing, in one call and across calls', async () => {
    const { queue } = await pausedQueue();
    const task = (name: string) => ({ name, kind: 'pump' as const, payload: { jobId: 'j' } });
    expect(await queue.enqueue([task('a'), task('a'), task('b')])).toEqual({ enqueued: 2, existing: 1 });
    expect(await queue.enqueue([task('b'), task('c')])).toEqual({ enqueued: 1, existing: 1 });
  });

  it('refuses a bad name before creating anything', async () => {
    const { queue, queuePath } = await pausedQueue();
    await expect(queue.enqueue([{ name: 'fine', kind: 'row', payload: { jobId: 'j' } }, { name: 'not fine', kind: 'row', payload: { jobId: 'j' } }])).rejects.toThrow(TypeError);
    expect(standIn.tasks(queuePath)).toEqual([]);
  });
});

describe('CloudTasksQueue continuations', () => {
  it('carries a precise retry as a new task for the next delivery, once however often the delivery repeats', async () => {
    const { queue, queuePath } = await pausedQueue();
    queue.start(() => Promise.resolve<TaskOutcome>({ status: 'retry', retryAfterMs: 5_000, reason: 'not yet due' }));
    const before = Date.now();
    const first = await receive(queue, request(rowBody('row-x'), 1));
    const again = await receive(queue, request(rowBody('row-x'), 1));
    await queue.stop();

    expect([first.status, again.status]).toEqual([200, 200]);
    const tasks = standIn.tasks(queuePath);
    expect(tasks.map((t) => t.name)).toEqual([`${queuePath}/tasks/row-x__d3`]);
    expect(tasks[0]!.scheduleTime).toBeGreaterThanOrEqual(before + 5_000);
    const [full] = await client.getTask({ name: tasks[0]!.name, responseView: 'FULL' });
    const body = JSON.parse(Buffer.from(full.httpRequest!.body as Uint8Array).toString()) as object;
    expect(body).toEqual({ ...rowBody('row-x'), attemptOffset: 2 });
    expect(queue.stats()).toMatchObject({ delivered: 2, continued: 2 });
  });

  it('caps a continuation delay at maxRetryDelayMs', async () => {
    const queuePath = `${LOCATION}/queues/unit-${++count}`;
    await client.createQueue({ parent: LOCATION, queue: { name: queuePath } });
    await client.pauseQueue({ name: queuePath });
    const queue = new CloudTasksQueue({ client, queuePath, targetBaseUrl: BASE_URL, serviceAccountEmail: SERVICE_ACCOUNT, maxRetryDelayMs: 1000 });
    const task: DeliveredTask = { name: 'row-y', kind: 'row', payload: { jobId: 'j' }, deliveryAttempt: 1 };
    const before = Date.now();
    await queue.continueLater(task, 86_400_000);
    expect(standIn.tasks(queuePath)[0]!.scheduleTime).toBeLessThanOrEqual(Date.now() + 1000);
    expect(standIn.tasks(queuePath)[0]!.scheduleTime).toBeGreaterThanOrEqual(before + 1000);
  });
});

describe('CloudTasksQueue.receive', () => {
  it('answers 503 before start() and after stop(), without calling the handler', async () => {
    const { queue } = await pausedQueue();
    const handled: DeliveredTask[] = [];
    expect((await receive(queue, request(rowBody('r1')))).status).toBe(503);
    queue.start((task) => {
      handled.push(task);
      return Promise.resolve({ status: 'ok' });
    });
    expect((await receive(queue, request(rowBody('r2')))).status).toBe(200);
    await queue.stop();
    expect((await receive(queue, request(rowBody('r3')))).status).toBe(503);
    expect(handled.map((t) => [t.name, t.deliveryAttempt])).toEqual([['r2', 1]]);
    expect(queue.stats()).toMatchObject({ delivered: 1, refused: 2 });
  });

  it('answers 400 to a request that is not one of our tasks, or of another kind than the route', async () => {
    const { queue } = await pausedQueue();
    queue.start(() => Promise.resolve({ status: 'ok' }));
    const bad = await receive(queue, { body: '{"name":"x"}', headers: { 'x-cloudtasks-taskretrycount': '0' } });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ error: { code: 'bad_task', message: "Expected the task body's `kind` to be 'row' or 'pump', got `undefined`" } });
    expect((await receive(queue, request(rowBody('r'), 0, 'pump'))).status).toBe(400);
    await queue.stop();
  });

  it('answers 500 for a handler that throws, 429 for a slow-down', async () => {
    const { queue } = await pausedQueue();
    queue.start((task) => (task.name === 'throws' ? Promise.reject(new Error('boom')) : Promise.resolve({ status: 'retry', slowDown: true, retryAfterMs: 2500 })));
    expect((await receive(queue, request(rowBody('throws')))).status).toBe(500);
    expect(await receive(queue, request(rowBody('slow')))).toMatchObject({ status: 429, headers: { 'Retry-After': '3' } });
    await queue.stop();
    expect(queue.stats()).toMatchObject({ backedOff: 1, slowedDown: 1 });
  });

  it('stop() waits until answers in flight are sent; halt() abandons them unanswered', async () => {
    const { queue } = await pausedQueue();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    queue.start(async () => {
      await gate;
      return { status: 'ok' };
    });
    const answers: number[] = [];
    const inFlight = queue.receive(request(rowBody('slow')), (a) => {
      answers.push(a.status);
    });
    let stopped = false;
    const stopping = queue.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    await inFlight;
    expect(answers).toEqual([200]);

    queue.start(() => new Promise<TaskOutcome>((resolve) => setTimeout(() => resolve({ status: 'ok' }), 30)));
    const abandoned = queue.receive(request(rowBody('parked')), (a) => {
      answers.push(a.status);
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    queue.halt();
    await expect(abandoned).rejects.toBeInstanceOf(DeliveryAbandonedError);
    expect(answers).toEqual([200]);
  });

  it('resumes the Cloud Tasks queue on start() and pauses it on stop() when it owns the queue', async () => {
    const { queue, queuePath } = await pausedQueue({ pauseQueueWhenStopped: true });
    queue.start(() => Promise.resolve({ status: 'ok' }));
    await expect.poll(async () => (await client.getQueue({ name: queuePath }))[0].state).toBe('RUNNING');
    await queue.stop();
    expect((await client.getQueue({ name: queuePath }))[0].state).toBe('PAUSED');
  });
});
