// Shared fixtures for the Cloud Tasks stand-in tests: a stand-in with the real client, and a target that records and answers.
import type { IncomingHttpHeaders } from 'node:http';
import { CloudTasksClient, type protos } from '@google-cloud/tasks';
import { startCloudTasksStandIn, type CloudTasksStandIn } from '../../../../local/cloud-tasks/server.js';
import type { CloudTasksStandInOptions } from '../../../../local/cloud-tasks/options.js';
import { startTaskTarget, type TargetAnswer, type TaskTarget } from '../../../../local/cloud-tasks/task-target.js';

export const LOCATION = 'projects/p/locations/l';
export const SERVICE_ACCOUNT = 'tasks@p.iam.gserviceaccount.com';

export interface Arrival {
  readonly at: number;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A stand-in, the real client aimed at it, and a target that records each request and answers as told. */
export class Rig {
  readonly arrivals: Arrival[] = [];
  /** How the target answers request number `index` (0-based, over all paths); default 200. Replace freely. */
  answer: (arrival: Arrival, index: number) => TargetAnswer | Promise<TargetAnswer> = () => ({ status: 200 });
  #target: TaskTarget | undefined;

  constructor(
    readonly standIn: CloudTasksStandIn,
    readonly client: CloudTasksClient,
  ) {}

  get target(): TaskTarget {
    return this.#target!;
  }

  async listen(): Promise<void> {
    this.#target = await startTaskTarget({
      handle: async (request, respond) => {
        const arrival: Arrival = { at: Date.now(), path: request.path, headers: request.headers, body: request.body.toString('utf8') };
        this.arrivals.push(arrival);
        await respond(await this.answer(arrival, this.arrivals.length - 1));
      },
    });
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.standIn.close();
    await this.#target?.close();
  }
}

export async function startRig(options: CloudTasksStandInOptions = {}): Promise<Rig> {
  const standIn = await startCloudTasksStandIn(options);
  const rig = new Rig(standIn, new CloudTasksClient({ ...standIn.clientOptions }));
  await rig.listen();
  return rig;
}

let queueCount = 0;

export async function createQueue(client: CloudTasksClient, queue: Omit<protos.google.cloud.tasks.v2.IQueue, 'name'> = {}): Promise<string> {
  const name = `${LOCATION}/queues/q${++queueCount}`;
  await client.createQueue({ parent: LOCATION, queue: { name, ...queue } });
  return name;
}

export function httpTask(rig: Rig, queue: string, id: string | undefined, extra: Partial<protos.google.cloud.tasks.v2.ITask> = {}): protos.google.cloud.tasks.v2.ICreateTaskRequest {
  return {
    parent: queue,
    task: {
      ...(id === undefined ? {} : { name: `${queue}/tasks/${id}` }),
      httpRequest: {
        url: `${rig.target.url}/tasks/row`,
        httpMethod: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: Buffer.from(JSON.stringify({ id })),
        oidcToken: { serviceAccountEmail: SERVICE_ACCOUNT },
      },
      ...extra,
    },
  };
}

export const ms = (value: number) => ({ seconds: Math.floor(value / 1000), nanos: (value % 1000) * 1_000_000 });

export async function rpcCode(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const pause = (value: number) => new Promise((resolve) => setTimeout(resolve, value));
