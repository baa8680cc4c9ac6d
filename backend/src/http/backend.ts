// The backend, composed from its ports: engine + sheet jobs + the Express app. Wiring (local, cloud, tests) picks adapters.
import type { Express, Request } from 'express';
import { Engine, type EngineOptions } from '../engine/engine.js';
import type { Caller } from '../engine/sheet-jobs.js';
import { SheetJobs, sheetRefOf, sinkColumns } from '../engine/sheet-jobs.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { ModelClient } from '../ports/model.js';
import type { Pages } from '../ports/pages.js';
import type { Search } from '../ports/search.js';
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
  /**
   * Research mode's web search and page reader. Without both, research jobs are refused at estimate and start with
   * `researchUnavailable` (or a default naming TAVILY_API_KEY).
   */
  readonly search?: Search;
  readonly pages?: Pages;
  readonly researchUnavailable?: string;
}

/** A config error like the engine's (`path: message`), so the sidebar shows it on the research switch. */
export const RESEARCH_UNAVAILABLE = 'research.enabled: research mode is not set up on this backend: set TAVILY_API_KEY (see docs/deploy.md), or turn "Research the web" off.';

export interface Backend {
  readonly app: Express;
  readonly engine: Engine;
}

export function createBackend(deps: BackendDeps): Backend {
  const research = deps.search && deps.pages ? { search: deps.search, pages: deps.pages } : undefined;
  const researchUnavailable = research ? undefined : (deps.researchUnavailable ?? RESEARCH_UNAVAILABLE);
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
        return ref ? deps.gateway.sink(ref, sinkColumns(job.config)) : undefined;
      },
      ...research,
    },
    { requireBudget: true, limits, ...(deps.limits?.maxRowsPerJob !== undefined ? { maxRowsPerJob: deps.limits.maxRowsPerJob } : {}), ...deps.engine },
  );
  const sheetJobs = new SheetJobs({
    engine,
    store: deps.store,
    gateway: deps.gateway,
    limits,
    ...(deps.engine?.prices ? { prices: deps.engine.prices } : {}),
    ...(researchUnavailable !== undefined ? { researchUnavailable } : {}),
    ...(deps.limits?.maxRowsPerJob !== undefined ? { maxRowsPerJob: deps.limits.maxRowsPerJob } : {}) });
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
