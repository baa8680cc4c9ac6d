// The HTTP backend over an Engine built by a composition root (compose/): sheet jobs + the Express app.
import type { Express, Request } from 'express';
import type { Engine } from '../engine/engine.js';
import type { Caller } from '../application/caller.js';
import { SheetJobs } from '../application/sheet-jobs.js';
import type { EngineOptions } from '../engine/options.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { SpreadsheetGateway } from '../ports/spreadsheet.js';
import type { Store } from '../ports/store.js';
import { createApp } from './app.js';
import type { TaskIntake } from './routes/task-routes.js';

export interface BackendDeps {
  /** The one Engine of this process, from compose/engine.ts's composeEngine. */
  readonly engine: Engine;
  readonly store: Store;
  readonly gateway: SpreadsheetGateway;
  readonly clock: Clock;
  readonly log: Logger;
  readonly authenticate: (req: Request) => Promise<Caller>;
  /** Where /tasks/* deliveries go (the Cloud Tasks queue). Without it there are no /tasks routes: the queue is in-process. */
  readonly tasks?: TaskIntake;
  /** Server-side caps a client cannot raise; the engine got the same ones from serverEngineOptions. */
  readonly limits?: { readonly maxRowsPerJob?: number; readonly maxWorkers?: number; readonly maxBudgetUsd?: number };
  /** The engine's price overrides (ROWFILL_PRICES), for the research part of an estimate. */
  readonly prices?: EngineOptions['prices'];
  readonly bodyLimit?: string;
  /**
   * Whether the engine has research mode's web search and page reader. Without them research jobs are refused at
   * estimate and start with `researchUnavailable` (or a default naming TAVILY_API_KEY).
   */
  readonly research: boolean;
  readonly researchUnavailable?: string;
}

/** A config error like the engine's (`path: message`), so the sidebar shows it on the research switch. */
export const RESEARCH_UNAVAILABLE = 'research.enabled: research mode is not set up on this backend: set TAVILY_API_KEY (see docs/deploy.md), or turn "Research the web" off.';

export interface Backend {
  readonly app: Express;
  readonly engine: Engine;
}

export function createBackend(deps: BackendDeps): Backend {
  const researchUnavailable = deps.research ? undefined : (deps.researchUnavailable ?? RESEARCH_UNAVAILABLE);
  const limits = {
    ...(deps.limits?.maxWorkers !== undefined ? { maxWorkers: deps.limits.maxWorkers } : {}),
    ...(deps.limits?.maxBudgetUsd !== undefined ? { maxBudgetUsd: deps.limits.maxBudgetUsd } : {}),
  };
  const sheetJobs = new SheetJobs({
    engine: deps.engine,
    store: deps.store,
    gateway: deps.gateway,
    limits,
    ...(deps.prices ? { prices: deps.prices } : {}),
    ...(researchUnavailable !== undefined ? { researchUnavailable } : {}),
    ...(deps.limits?.maxRowsPerJob !== undefined ? { maxRowsPerJob: deps.limits.maxRowsPerJob } : {}) });
  const app = createApp({
    engine: deps.engine,
    sheetJobs,
    clock: deps.clock,
    log: deps.log,
    authenticate: deps.authenticate,
    ...(deps.tasks ? { tasks: deps.tasks } : {}),
    ...(deps.bodyLimit ? { bodyLimit: deps.bodyLimit } : {}),
  });
  return { app, engine: deps.engine };
}
