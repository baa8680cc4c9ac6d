// Cloud Tasks resource names: parsing and the character rules the real service enforces.
import { RpcError } from './rpc-error.js';

const LOCATION = /^projects\/([A-Za-z0-9.:-]+)\/locations\/([A-Za-z0-9-]+)$/;
const QUEUE = /^(projects\/[A-Za-z0-9.:-]+\/locations\/[A-Za-z0-9-]+)\/queues\/([A-Za-z0-9-]{1,100})$/;
const TASK = /^(projects\/[A-Za-z0-9.:-]+\/locations\/[A-Za-z0-9-]+\/queues\/[A-Za-z0-9-]{1,100})\/tasks\/([A-Za-z0-9_-]{1,500})$/;

export interface QueueName {
  /** projects/p/locations/l */
  readonly parent: string;
  /** The queue id, the last segment. */
  readonly id: string;
}

export interface TaskName {
  /** The queue's full name. */
  readonly queue: string;
  /** The task id, the last segment. */
  readonly id: string;
}

export function checkLocation(value: unknown, field: string): string {
  if (typeof value !== 'string' || !LOCATION.test(value)) {
    throw RpcError.invalid(`${field} must look like projects/PROJECT_ID/locations/LOCATION_ID, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function parseQueueName(value: unknown, field: string): QueueName {
  const match = typeof value === 'string' ? QUEUE.exec(value) : null;
  if (!match) throw RpcError.invalid(`${field} must look like projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID, got ${JSON.stringify(value)}`);
  return { parent: match[1]!, id: match[2]! };
}

export function parseTaskName(value: unknown, field: string): TaskName {
  const match = typeof value === 'string' ? TASK.exec(value) : null;
  if (!match) {
    throw RpcError.invalid(`${field} must look like projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID/tasks/TASK_ID (TASK_ID: up to 500 of [A-Za-z0-9_-]), got ${JSON.stringify(value)}`);
  }
  return { queue: match[1]!, id: match[2]! };
}

export function shortId(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
