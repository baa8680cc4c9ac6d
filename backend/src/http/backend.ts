// The backend, composed from its ports: engine + sheet jobs + the Express app. Wiring (local, cloud, tests) picks adapters.
import type { Express, Request } from 'express';
import { Engine, type EngineOptions } from '../engine/engine.js';
import type { Caller } from '../engine/sheet-jobs.js';
import { SheetJobs, sheetRefOf } from '../engine/sheet-jobs.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { ModelClient } from '../ports/model.js';
import type { Queue } from '../ports/queue.js';
import type { SpreadsheetGateway } from '../ports/spreadsheet.js';
import type { Store } from '../ports/store.js';
import { createApp } from './app.js';
import type { TaskCodec } from './routes/task-routes.js';

export interface BackendDeps {
  readonly store: Store;
  readonly queue: Queue;
  readonly model: ModelClient;
  readonly gateway: SpreadsheetGateway;
  readonly clock: Clock;
  readonly log: Logger;
  readonly authenticate: (req: Request) => Promise<Caller>;
  readonly authenticateTask: (req: Request) => Promise<void>;
  readonly tasks: TaskCodec;
  readonly engine?: EngineOptions;
  /** Server-side caps a client cannot raise. */
  readonly limits?: { readonly maxRowsPerJob?: number; readonly maxWorkers?: number; readonly maxBudgetUsd?: number };
  readonly bodyLimit?: string;
}

export interface Backend {
  readonly app: Express;
  readonly engine: Engine;
}

export function createBackend(deps: BackendDeps): Backend {
  const limits = {
    ...(deps.limits?.maxWorkers !== undefined ? { maxWorkers: deps.limits.maxWorkers } : {}),
    ...(deps.limits?.maxBudgetUsd !== undefined ? { maxBudgetUsd: deps.limits.maxBudgetUsd } : {}),
  };
  const engine = new Engine(
    {
      store: deps.store,
      queue: deps.queue,
      model: deps.model,
      clock: deps.clock,
      log: deps.log,
      sinks: (job) => {
        const ref = sheetRefOf(job);
        return ref ? deps.gateway.sink(ref, job.config.outputs.map((o) => o.name)) : undefined;
      },
    },
    { requireBudget: true, limits, ...(deps.limits?.maxRowsPerJob !== undefined ? { maxRowsPerJob: deps.limits.maxRowsPerJob } : {}), ...deps.engine },
  );
  const sheetJobs = new SheetJobs({ engine, store: deps.store, gateway: deps.gateway, limits, ...(deps.limits?.maxRowsPerJob !== undefined ? { maxRowsPerJob: deps.limits.maxRowsPerJob } : {}) });
  const app = createApp({
    engine,
    sheetJobs,
    clock: deps.clock,
    log: deps.log,
    authenticate: deps.authenticate,
    authenticateTask: deps.authenticateTask,
    tasks: deps.tasks,
    ...(deps.bodyLimit ? { bodyLimit: deps.bodyLimit } : {}),
  });
  return { app, engine };
}
