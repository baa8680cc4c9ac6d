// Records what a queue delivered and when, so tests can assert on names, attempts, counts and order.
import type { DeliveredTask, TaskSpec } from '../../../backend/src/ports/queue.js';

export interface Delivery {
  readonly name: string;
  readonly deliveryAttempt: number;
  /** Date.now() when the handler was called. */
  readonly at: number;
}

export class DeliveryLog {
  readonly deliveries: Delivery[] = [];

  record(task: DeliveredTask): Delivery {
    const delivery = { name: task.name, deliveryAttempt: task.deliveryAttempt, at: Date.now() };
    this.deliveries.push(delivery);
    return delivery;
  }

  of(name: string): Delivery[] {
    return this.deliveries.filter((d) => d.name === name);
  }

  names(): Set<string> {
    return new Set(this.deliveries.map((d) => d.name));
  }

  /** How many deliveries happened in [from, from + windowMs). */
  countBetween(from: number, windowMs: number): number {
    return this.deliveries.filter((d) => d.at >= from && d.at < from + windowMs).length;
  }

  /** The most deliveries in any window of `windowMs` that starts at a delivery. */
  maxInAnyWindow(windowMs: number): number {
    const times = this.deliveries.map((d) => d.at).sort((a, b) => a - b);
    let best = 0;
    let end = 0;
    for (let start = 0; start < times.length; start += 1) {
      while (end < times.length && times[end]! < times[start]! + windowMs) end += 1;
      best = Math.max(best, end - start);
    }
    return best;
  }
}

export function rowTasks(prefix: string, count: number, scheduleAt?: number): TaskSpec[] {
  return Array.from({ length: count }, (_, i) => rowTask(`${prefix}-${i}`, scheduleAt));
}

export function rowTask(name: string, scheduleAt?: number): TaskSpec {
  return { name, kind: 'row', payload: { jobId: 'job-1', rowId: name }, ...(scheduleAt === undefined ? {} : { scheduleAt }) };
}
