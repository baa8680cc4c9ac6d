// /v1 routes: thin handlers that parse the body, authorize through the application layer, call it or the engine, answer a JobView.
import { Router, type Request } from 'express';
import type { Engine } from '../../engine/engine.js';
import { JobError } from '../../kernel/job-errors.js';
import type { Caller } from '../../application/caller.js';
import type { SheetJobs } from '../../application/sheet-jobs.js';
import type { Clock } from '../../ports/clock.js';
import type { Job } from '../../ports/domain.js';
import { estimateBody, jobActionBody, resumeBody, spreadsheetIdParam, startJobBody, type AccessView, type EstimateView } from '../api-types.js';
import type { JobViews } from '../job-view.js';

export interface JobRoutesDeps {
  readonly engine: Engine;
  readonly sheetJobs: SheetJobs;
  readonly views: JobViews;
  readonly clock: Clock;
  readonly caller: (req: Request) => Caller;
}

const PROOF_HEADER = 'x-rowfill-proof';

export function jobRoutes(deps: JobRoutesDeps): Router {
  const { engine, sheetJobs, views, clock, caller } = deps;
  const router = Router();

  // A request reads its job once (to authorize it), then its counters once; an action answers with the job as its own
  // transition left it.
  const authorizedJob = async (req: Request, proof: string | undefined): Promise<Job> => {
    const job = await engine.job(String(req.params.id));
    await sheetJobs.authorize(job, caller(req), proof ?? req.get(PROOF_HEADER));
    return job;
  };
  // A cheap job's open batches are read too, for the sidebar's `in batch` line and its "by <time>".
  const respond = async (job: Job) => {
    const [counts, batches] = await Promise.all([engine.counts(job.id), job.config.mode === 'cheap' ? engine.openBatches(job.id) : []]);
    return { job: views.view(job, counts, clock.now(), batches) };
  };

  router.post('/v1/jobs', async (req, res) => {
    const body = startJobBody.parse(req.body);
    const job = await sheetJobs.start(body, caller(req));
    res.status(202).json(await respond(job));
  });

  router.post('/v1/estimate', async (req, res) => {
    const body = estimateBody.parse(req.body);
    const estimate: EstimateView = await sheetJobs.estimate(body);
    res.json({ estimate });
  });

  router.get('/v1/jobs/:id', async (req, res) => {
    res.json(await respond(await authorizedJob(req, undefined)));
  });

  router.get('/v1/sheets/:spreadsheetId/access', async (req, res) => {
    const access: AccessView = await sheetJobs.access(spreadsheetIdParam.parse(req.params.spreadsheetId));
    res.json({ access });
  });

  router.get('/v1/sheets/:spreadsheetId/latest-job', async (req, res) => {
    const sheetId = Number(req.query.sheetId);
    if (!Number.isInteger(sheetId) || sheetId < 0) throw new JobError('invalid_config', 'sheetId: must be a whole number (the tab id)');
    const latest = await sheetJobs.latest({ spreadsheetId: String(req.params.spreadsheetId), sheetId });
    if (!latest) {
      res.json({ job: null });
      return;
    }
    await sheetJobs.authorize(latest, caller(req), req.get(PROOF_HEADER));
    res.json(await respond(latest));
  });

  router.post('/v1/jobs/:id/cancel', async (req, res) => {
    const body = jobActionBody.parse(req.body ?? {});
    const job = await authorizedJob(req, body.proofNonce);
    res.json(await respond(await engine.cancel(job.id)));
  });

  router.post('/v1/jobs/:id/resume', async (req, res) => {
    const body = resumeBody.parse(req.body ?? {});
    const job = await authorizedJob(req, body.proofNonce);
    res.json(await respond(await engine.resume(job, body.budgetUsd !== undefined ? { budgetUsd: body.budgetUsd } : {})));
  });

  router.post('/v1/jobs/:id/retry-failed', async (req, res) => {
    const body = jobActionBody.parse(req.body ?? {});
    const job = await authorizedJob(req, body.proofNonce);
    const retried = await engine.retryFailed(job);
    res.json({ ...(await respond(retried.job)), requeued: retried.requeued });
  });

  return router;
}
