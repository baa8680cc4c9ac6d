// Creates Cloud Tasks tasks, many at a time under a concurrency bound, counting a name collision as "already there".
import type { protos } from '@google-cloud/tasks';
import type { Clock } from '../../ports/clock.js';
import { ALREADY_EXISTS, grpcCode, isTransient } from './grpc-codes.js';
import type { CloudTasksApi } from './options.js';

/** Tries per createTask, and the pause before each retry: a transient failure (a dropped connection, load shedding) is retried briefly. */
const RETRY_DELAYS_MS = [100, 400];

export type CreateResult = 'created' | 'existing';

export class TaskCreator {
  readonly #client: CloudTasksApi;
  readonly #clock: Clock;

  constructor(client: CloudTasksApi, clock: Clock) {
    this.#client = client;
    this.#clock = clock;
  }

  /**
   * Creates one task. ALREADY_EXISTS means the name is taken, or was within Cloud Tasks' ~1 h tombstone: "already
   * enqueued", never an error. Retrying a transient failure is safe for the same reason: if the first call did land,
   * the retry answers ALREADY_EXISTS (and the task counts as existing rather than created).
   */
  async create(request: protos.google.cloud.tasks.v2.ICreateTaskRequest): Promise<CreateResult> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.#client.createTask(request);
        return 'created';
      } catch (error) {
        if (grpcCode(error) === ALREADY_EXISTS) return 'existing';
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined || !isTransient(error)) throw error;
        await this.#clock.sleep(delay);
      }
    }
  }

  /**
   * Creates every request with at most `concurrency` calls in flight. Every call settles before this does; if any
   * failed, the first failure is thrown (the rest may have been created — names make a retry of the whole batch safe).
   */
  async createAll(requests: readonly protos.google.cloud.tasks.v2.ICreateTaskRequest[], concurrency: number): Promise<{ created: number; existing: number }> {
    let next = 0;
    let created = 0;
    let existing = 0;
    let failure: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const request = requests[next++]!;
        try {
          if ((await this.create(request)) === 'created') created += 1;
          else existing += 1;
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
    if (failure) throw failure.error;
    return { created, existing };
  }
}
