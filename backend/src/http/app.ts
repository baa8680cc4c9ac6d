// The Express app: body limits, caller authentication, the /v1 and /tasks routes, health, and the error middleware.
import express, { type Request, type RequestHandler } from 'express';
import type { Engine } from '../engine/engine.js';
import type { Caller } from '../application/caller.js';
import type { SheetJobs } from '../application/sheet-jobs.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { errorMiddleware } from './error-middleware.js';
import { JobViews } from './job-view.js';
import { jobRoutes } from './routes/job-routes.js';
import { taskRoutes, type TaskIntake } from './routes/task-routes.js';

export interface AppDeps {
  readonly engine: Engine;
  readonly sheetJobs: SheetJobs;
  readonly clock: Clock;
  readonly log: Logger;
  /** Verifies the add-on's caller and returns who it is; throws an error with `status` and `code` otherwise. */
  readonly authenticate: (req: Request) => Promise<Caller>;
  /** The queue that takes /tasks deliveries; without it (an in-process queue) /tasks is not mounted. */
  readonly tasks?: TaskIntake;
  /** Largest JSON body accepted. Default '1mb'. */
  readonly bodyLimit?: string;
}

const CALLER = Symbol('rowfill.caller');
type WithCaller = Request & { [CALLER]?: Caller };

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(express.json({ limit: deps.bodyLimit ?? '1mb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  const requireCaller: RequestHandler = async (req, _res, next) => {
    (req as WithCaller)[CALLER] = await deps.authenticate(req);
    next();
  };
  const caller = (req: Request): Caller => {
    const c = (req as WithCaller)[CALLER];
    if (!c) throw new Error('caller not authenticated');
    return c;
  };

  app.use('/v1', requireCaller);
  app.use(jobRoutes({ engine: deps.engine, sheetJobs: deps.sheetJobs, views: new JobViews(), clock: deps.clock, caller }));
  const tasks = deps.tasks;
  if (tasks) {
    const requireTaskCaller: RequestHandler = async (req, _res, next) => {
      await tasks.authenticate(req);
      next();
    };
    app.use('/tasks', requireTaskCaller);
    app.use(taskRoutes(tasks.receive));
  }

  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such route.' } });
  });
  app.use(errorMiddleware(deps.log));
  return app;
}
