// Everything the stand-in holds: queues by name, and the names of recently finished tasks that still deduplicate.
import { HttpDispatch } from './http-dispatch.js';
import type { OidcSigner } from './oidc-issuer.js';
import type { QueueConfig } from './queue-config.js';
import { QueueRuntime, type QueueState } from './queue-runtime.js';
import { RpcError } from './rpc-error.js';
import type { TaskRecord } from './task-record.js';

/** Expired tombstones are swept after this many creates, so the map stays bounded without a timer. */
const SWEEP_EVERY = 1000;

export interface StandInStateOptions {
  readonly signer: OidcSigner;
  /** How long a finished or deleted task's name keeps deduplicating creates. */
  readonly tombstoneMs: number;
}

export class StandInState {
  readonly #queues = new Map<string, QueueRuntime>();
  /** Task name → when it may be used again. */
  readonly #tombstones = new Map<string, number>();
  readonly #http = new HttpDispatch();
  readonly #options: StandInStateOptions;
  #seq = 0;
  #createsSinceSweep = 0;

  constructor(options: StandInStateOptions) {
    this.#options = options;
  }

  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  queues(): QueueRuntime[] {
    return [...this.#queues.values()];
  }

  queue(name: string): QueueRuntime {
    const queue = this.#queues.get(name);
    if (!queue) throw RpcError.notFound(`queue ${name}`);
    return queue;
  }

  findQueue(name: string): QueueRuntime | undefined {
    return this.#queues.get(name);
  }

  createQueue(name: string, id: string, config: QueueConfig, state: QueueState = 'RUNNING'): QueueRuntime {
    if (this.#queues.has(name)) throw RpcError.alreadyExists(`queue ${name}`);
    const queue = new QueueRuntime(name, id, config, {
      http: this.#http,
      signer: this.#options.signer,
      onRemoved: (task) => this.#tombstone(task),
    });
    queue.setState(state);
    this.#queues.set(name, queue);
    return queue;
  }

  deleteQueue(name: string): void {
    const queue = this.queue(name);
    queue.removeAll();
    queue.close();
    this.#queues.delete(name);
  }

  /** Adds a task unless its name is held or was used recently: then ALREADY_EXISTS, the real dedup answer. */
  createTask(task: TaskRecord): TaskRecord {
    const queue = this.queue(task.queue);
    const now = Date.now();
    if (queue.get(task.name)) throw RpcError.alreadyExists(`task ${task.name}`);
    const until = this.#tombstones.get(task.name);
    if (until !== undefined) {
      if (until > now) throw RpcError.alreadyExists(`task ${task.name} (it ran or was deleted recently)`);
      this.#tombstones.delete(task.name);
    }
    if (++this.#createsSinceSweep >= SWEEP_EVERY) this.#sweep(now);
    queue.add(task);
    return task;
  }

  task(name: string, queueName: string): TaskRecord {
    const task = this.queue(queueName).get(name);
    if (!task) throw RpcError.notFound(`task ${name}`);
    return task;
  }

  close(): void {
    for (const queue of this.#queues.values()) queue.close();
    this.#http.close();
  }

  #tombstone(task: TaskRecord): void {
    this.#tombstones.set(task.name, Date.now() + this.#options.tombstoneMs);
  }

  #sweep(now: number): void {
    this.#createsSinceSweep = 0;
    for (const [name, until] of this.#tombstones) if (until <= now) this.#tombstones.delete(name);
  }
}
