// Starting the stand-in and the task target: option checks, listening on loopback, and the target's crash and limits.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startCloudTasksStandIn, type CloudTasksStandIn } from '../../../../local/cloud-tasks/server.js';
import { startTaskTarget, type TaskTarget } from '../../../../local/cloud-tasks/task-target.js';

let standIn: CloudTasksStandIn | undefined;
let target: TaskTarget | undefined;
afterEach(async () => {
  await standIn?.close();
  await target?.close();
  standIn = undefined;
  target = undefined;
});

function post(url: string, body: string): Promise<{ status: number } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST' }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end(body);
  });
}

describe('startCloudTasksStandIn', () => {
  it('listens on a free loopback port and hands out client options for it', async () => {
    standIn = await startCloudTasksStandIn({ queues: [{ name: 'projects/p/locations/l/queues/ready', maxDispatchesPerSecond: 7, paused: true }] });
    expect(standIn.address).toBe(`127.0.0.1:${standIn.port}`);
    expect(standIn.clientOptions).toMatchObject({ apiEndpoint: '127.0.0.1', port: standIn.port, universeDomain: 'googleapis.com' });
    const [queue] = standIn.queues();
    expect(queue).toMatchObject({ name: 'projects/p/locations/l/queues/ready', state: 'PAUSED', config: { maxDispatchesPerSecond: 7 } });
  });

  it('refuses bad options before listening', async () => {
    await expect(startCloudTasksStandIn({ port: 70_000 })).rejects.toThrow('CloudTasksStandIn: port must be an integer from 0 to 65535, got 70000');
    await expect(startCloudTasksStandIn({ tombstoneMs: -1 })).rejects.toThrow('CloudTasksStandIn: tombstoneMs must be a finite number >= 0, got -1');
    await expect(startCloudTasksStandIn({ minDispatchDeadlineMs: 0 })).rejects.toThrow('CloudTasksStandIn: minDispatchDeadlineMs must be a finite number > 0, got 0');
    await expect(startCloudTasksStandIn({ queues: [{ name: 'q' }] })).rejects.toThrow(
      'CloudTasksStandIn: queues[].name must look like projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID, got "q"',
    );
    await expect(startCloudTasksStandIn({ queues: [{ name: 'projects/p/locations/l/queues/q', maxDispatchesPerSecond: 600 }] })).rejects.toThrow(
      'CloudTasksStandIn: rate_limits.max_dispatches_per_second must be above 0 and at most 500, got 600',
    );
  });
});

describe('startTaskTarget', () => {
  it('drops the connections of unanswered requests on crash() and keeps serving', async () => {
    let calls = 0;
    target = await startTaskTarget({
      handle: async (_, respond) => {
        calls += 1;
        if (calls === 1) return new Promise<void>(() => undefined);
        await respond({ status: 204 });
      },
    });
    const parked = post(`${target.url}/tasks/row`, '{}');
    await expect.poll(() => target!.received).toBe(1);
    target.crash();
    expect(await parked).toEqual({ error: 'ECONNRESET' });
    expect(await post(`${target.url}/tasks/row`, '{}')).toEqual({ status: 204 });
  });

  it('drops the connection when the handler rejects, and refuses a body over the limit', async () => {
    target = await startTaskTarget({ maxBodyBytes: 10, handle: () => Promise.reject(new Error('crashed')) });
    expect(await post(`${target.url}/tasks/row`, '{}')).toEqual({ error: 'ECONNRESET' });
    expect(await post(`${target.url}/tasks/row`, 'x'.repeat(11))).toEqual({ status: 413 });
  });
});
