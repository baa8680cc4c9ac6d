// The /tasks codec for a process whose queue is in-process: a JSON body in, HTTP status plus Retry-After out.
import { z } from 'zod';
import type { TaskCodec } from './routes/task-routes.js';

const body = z.object({
  name: z.string().min(1).max(500),
  kind: z.enum(['row', 'pump']),
  payload: z.object({ jobId: z.string().min(1), rowId: z.string().optional(), dispatchSeq: z.number().int().optional() }),
  deliveryAttempt: z.number().int().min(1).default(1),
});

/** ok → 200; retry → 429 (slow down) or 503, each with Retry-After in whole seconds, like an HTTP target of Cloud Tasks. */
export const localTaskCodec: TaskCodec = {
  read: (req) => body.parse(req.body),
  answer: (res, outcome) => {
    if (outcome.status === 'ok') {
      res.status(200).json({ ok: true });
    } else {
      if (outcome.retryAfterMs !== undefined) res.set('Retry-After', String(Math.max(1, Math.ceil(outcome.retryAfterMs / 1000))));
      res.status(outcome.slowDown ? 429 : 503).json({ retry: true, reason: outcome.reason ?? null });
    }
    return Promise.resolve();
  },
};
