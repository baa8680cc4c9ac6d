// The stand-in's gRPC API through the real client: queue settings, task creation rules, name dedup, get/list/delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, httpTask, LOCATION, ms, pause, rpcCode, startRig, until, type Rig } from './fixtures.js';

const ALREADY_EXISTS = 6;
const NOT_FOUND = 5;
const INVALID_ARGUMENT = 3;

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ tombstoneMs: 300 });
});
afterAll(() => rig.close());

describe('queues', () => {
  it('creates a queue with the real service defaults and reports them', async () => {
    const name = await createQueue(rig.client);
    const [queue] = await rig.client.getQueue({ name });
    expect(queue.state).toBe('RUNNING');
    expect(queue.rateLimits).toMatchObject({ maxDispatchesPerSecond: 500, maxBurstSize: 100, maxConcurrentDispatches: 1000 });
    expect(queue.retryConfig).toMatchObject({ maxAttempts: 100, maxDoublings: 16 });
    expect(queue.retryConfig?.minBackoff).toMatchObject({ seconds: '0', nanos: 100_000_000 });
    expect(queue.retryConfig?.maxBackoff).toMatchObject({ seconds: '3600' });
  });

  it('refuses limits the real service refuses, a duplicate queue, and an unknown one', async () => {
    const name = `${LOCATION}/queues/too-fast`;
    expect(await rpcCode(rig.client.createQueue({ parent: LOCATION, queue: { name, rateLimits: { maxDispatchesPerSecond: 501 } } }))).toBe(INVALID_ARGUMENT);
    expect(await rpcCode(rig.client.createQueue({ parent: LOCATION, queue: { name, rateLimits: { maxConcurrentDispatches: 5001 } } }))).toBe(INVALID_ARGUMENT);
    const existing = await createQueue(rig.client);
    expect(await rpcCode(rig.client.createQueue({ parent: LOCATION, queue: { name: existing } }))).toBe(ALREADY_EXISTS);
    expect(await rpcCode(rig.client.getQueue({ name: `${LOCATION}/queues/nope` }))).toBe(NOT_FOUND);
  });

  it('updates only the masked fields, and creates a missing queue', async () => {
    const name = await createQueue(rig.client, { rateLimits: { maxDispatchesPerSecond: 50, maxConcurrentDispatches: 7 } });
    const [updated] = await rig.client.updateQueue({
      queue: { name, rateLimits: { maxDispatchesPerSecond: 20, maxConcurrentDispatches: 99 } },
      updateMask: { paths: ['rate_limits.max_dispatches_per_second'] },
    });
    expect(updated.rateLimits).toMatchObject({ maxDispatchesPerSecond: 20, maxBurstSize: 4, maxConcurrentDispatches: 7 });

    const created = `${LOCATION}/queues/made-by-update`;
    const [made] = await rig.client.updateQueue({ queue: { name: created, retryConfig: { maxAttempts: 5, minBackoff: ms(1500) } } });
    expect(made.retryConfig).toMatchObject({ maxAttempts: 5, minBackoff: { seconds: '1', nanos: 500_000_000 } });
  });

  it('pauses and resumes', async () => {
    const name = await createQueue(rig.client);
    expect((await rig.client.pauseQueue({ name }))[0].state).toBe('PAUSED');
    expect((await rig.client.resumeQueue({ name }))[0].state).toBe('RUNNING');
  });
});

describe('tasks', () => {
  it('answers ALREADY_EXISTS for a name that is held, has run, or was deleted, until its tombstone expires', async () => {
    const queue = await createQueue(rig.client);
    await rig.client.pauseQueue({ name: queue });
    await rig.client.createTask(httpTask(rig, queue, 'held'));
    expect(await rpcCode(rig.client.createTask(httpTask(rig, queue, 'held')))).toBe(ALREADY_EXISTS);

    await rig.client.deleteTask({ name: `${queue}/tasks/held` });
    expect(await rpcCode(rig.client.createTask(httpTask(rig, queue, 'held')))).toBe(ALREADY_EXISTS);

    await rig.client.resumeQueue({ name: queue });
    await rig.client.createTask(httpTask(rig, queue, 'ran'));
    await until(() => rig.standIn.tasks(queue).length === 0 && rig.arrivals.some((a) => a.body.includes('"ran"')), 'the task to run');
    expect(await rpcCode(rig.client.createTask(httpTask(rig, queue, 'ran')))).toBe(ALREADY_EXISTS);

    await pause(350);
    expect(await rpcCode(rig.client.createTask(httpTask(rig, queue, 'held')))).toBeUndefined();
  });

  it('refuses a missing queue, a bad id, an out-of-range deadline, an OAuth token and a body on GET', async () => {
    const queue = await createQueue(rig.client);
    expect(await rpcCode(rig.client.createTask(httpTask(rig, `${LOCATION}/queues/missing`, 'x')))).toBe(NOT_FOUND);
    expect(await rpcCode(rig.client.createTask(httpTask(rig, queue, 'bad.id')))).toBe(INVALID_ARGUMENT);
    expect(await rpcCode(rig.client.createTask(httpTask(rig, queue, 'short', { dispatchDeadline: ms(5_000) })))).toBe(INVALID_ARGUMENT);
    expect(await rpcCode(rig.client.createTask(httpTask(rig, queue, 'long', { dispatchDeadline: ms(31 * 60_000) })))).toBe(INVALID_ARGUMENT);
    const oauth = httpTask(rig, queue, 'oauth');
    oauth.task!.httpRequest = { url: `${rig.target.url}/x`, oauthToken: { serviceAccountEmail: 'a@b.c' } };
    expect(await rpcCode(rig.client.createTask(oauth))).toBe(INVALID_ARGUMENT);
    const get = httpTask(rig, queue, 'get');
    get.task!.httpRequest = { url: `${rig.target.url}/x`, httpMethod: 'GET', body: Buffer.from('x') };
    expect(await rpcCode(rig.client.createTask(get))).toBe(INVALID_ARGUMENT);
  });

  it('names a task itself when none is given, and sets a past schedule time to now', async () => {
    const queue = await createQueue(rig.client);
    await rig.client.pauseQueue({ name: queue });
    const before = Date.now();
    const [task] = await rig.client.createTask(httpTask(rig, queue, undefined, { scheduleTime: ms(before - 60_000) }));
    expect(task.name).toMatch(new RegExp(`^${queue}/tasks/\\d+$`));
    expect(Number(task.scheduleTime?.seconds) * 1000).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  });

  it('gets and lists tasks earliest first, with the body only in the FULL view, page by page', async () => {
    const queue = await createQueue(rig.client);
    await rig.client.pauseQueue({ name: queue });
    const now = Date.now();
    for (const [id, offset] of [['c', 3000], ['a', 1000], ['b', 2000]] as const) {
      await rig.client.createTask(httpTask(rig, queue, id, { scheduleTime: ms(now + offset) }));
    }
    const [basic] = await rig.client.getTask({ name: `${queue}/tasks/a` });
    expect(basic.view).toBe('BASIC');
    expect(basic.httpRequest?.body?.length ?? 0).toBe(0);
    expect(basic.httpRequest?.oidcToken?.audience).toBe(`${rig.target.url}/tasks/row`);
    const [full] = await rig.client.getTask({ name: `${queue}/tasks/a`, responseView: 'FULL' });
    expect(Buffer.from(full.httpRequest!.body as Uint8Array).toString()).toBe('{"id":"a"}');

    const [firstPage, , response] = await rig.client.listTasks({ parent: queue, pageSize: 2 }, { autoPaginate: false });
    expect(firstPage.map((t) => t.name!.split('/').pop())).toEqual(['a', 'b']);
    const [secondPage] = await rig.client.listTasks({ parent: queue, pageSize: 2, pageToken: response.nextPageToken }, { autoPaginate: false });
    expect(secondPage.map((t) => t.name!.split('/').pop())).toEqual(['c']);

    await rig.client.deleteTask({ name: `${queue}/tasks/b` });
    expect(await rpcCode(rig.client.getTask({ name: `${queue}/tasks/b` }))).toBe(NOT_FOUND);
    expect(await rpcCode(rig.client.deleteTask({ name: `${queue}/tasks/b` }))).toBe(NOT_FOUND);
  });
});
