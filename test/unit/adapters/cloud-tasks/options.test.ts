// CloudTasksQueue options: defaults and the exact message for each bad value, all refused at construction.
import { describe, expect, it } from 'vitest';
import { CloudTasksQueue, type CloudTasksApi, type CloudTasksQueueOptions } from '../../../../backend/src/adapters/cloud-tasks/index.js';
import { resolveCloudTasksQueueOptions } from '../../../../backend/src/adapters/cloud-tasks/options.js';
import { continuationTaskId, validateTaskSpecs } from '../../../../backend/src/adapters/cloud-tasks/task-ids.js';
import type { TaskSpec } from '../../../../backend/src/ports/queue.js';

const client: CloudTasksApi = { createTask: () => Promise.resolve([]), pauseQueue: () => Promise.resolve([]), resumeQueue: () => Promise.resolve([]) };
const valid: CloudTasksQueueOptions = {
  client,
  queuePath: 'projects/p/locations/us-central1/queues/rows',
  targetBaseUrl: 'https://rowfill-abc.a.run.app/',
  serviceAccountEmail: 'tasks@p.iam.gserviceaccount.com',
};

describe('CloudTasksQueue options', () => {
  it('fills in defaults: the audience is the service URL, without its trailing slash', () => {
    expect(resolveCloudTasksQueueOptions(valid)).toMatchObject({
      targetBaseUrl: 'https://rowfill-abc.a.run.app',
      audience: 'https://rowfill-abc.a.run.app',
      dispatchDeadlineMs: 600_000,
      enqueueConcurrency: 32,
      maxRetryDelayMs: 3_600_000,
      pauseQueueWhenStopped: false,
    });
  });

  it.each([
    [{ client: {} }, 'Expected `client` to be a CloudTasksClient, got `[object Object]` (object)'],
    [{ queuePath: 'rows' }, 'Expected `queuePath` to look like projects/PROJECT/locations/LOCATION/queues/QUEUE, got `rows` (string)'],
    [{ targetBaseUrl: 'ftp://x' }, 'Expected `targetBaseUrl` to be an http(s) URL without query or fragment, got `ftp://x` (string)'],
    [{ targetBaseUrl: 'https://x/?a=1' }, 'Expected `targetBaseUrl` to be an http(s) URL without query or fragment, got `https://x/?a=1` (string)'],
    [{ serviceAccountEmail: 'nobody' }, 'Expected `serviceAccountEmail` to be an email address, got `nobody` (string)'],
    [{ audience: '' }, 'Expected `audience` to be a non-empty string, got `` (string)'],
    [{ dispatchDeadlineMs: 1000 }, "Expected `dispatchDeadlineMs` to be from 15000 to 1800000 (Cloud Tasks' bounds), got `1000` (number)"],
    [{ enqueueConcurrency: 0 }, 'Expected `enqueueConcurrency` to be an integer from 1 to 1000, got `0` (number)'],
    [{ maxRetryDelayMs: -1 }, 'Expected `maxRetryDelayMs` to be a finite number from 0 up, got `-1` (number)'],
    [{ pauseQueueWhenStopped: 'yes' }, 'Expected `pauseQueueWhenStopped` to be a boolean, got `yes` (string)'],
  ])('refuses %j', (patch, message) => {
    expect(() => new CloudTasksQueue({ ...valid, ...patch } as CloudTasksQueueOptions)).toThrow(message);
  });
});

describe('task names', () => {
  const spec = (name: string): TaskSpec => ({ name, kind: 'row', payload: { jobId: 'j' } });

  it('accepts Cloud Tasks ids up to 480 characters and refuses the rest, and the continuation mark', () => {
    expect(() => validateTaskSpecs([spec('row-0123abc_X'), spec('a'.repeat(480))])).not.toThrow();
    const message = (name: string) => `Expected \`tasks[0].name\` to be 1 to 480 characters of [A-Za-z0-9_-] without "__", got \`${name}\``;
    for (const name of ['', 'has space', 'dot.ted', 'a'.repeat(481), 'x__d2']) expect(() => validateTaskSpecs([spec(name)])).toThrow(message(name));
  });

  it('derives a continuation id from the name and the delivery it carries', () => {
    expect(continuationTaskId('row-abc', 4)).toBe('row-abc__d4');
  });
});
