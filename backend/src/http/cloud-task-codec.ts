// The /tasks codec for Cloud Tasks: its HTTP delivery in, an answer that slows the queue or schedules a precise retry out.
import { answerFor, deliveredTaskFromRequest, type ContinuationQueue } from '../adapters/cloud-tasks/index.js';
import type { TaskCodec } from './routes/task-routes.js';

export function cloudTaskCodec(queue: ContinuationQueue): TaskCodec {
  return {
    read: (req) => deliveredTaskFromRequest(req.body, req.headers),
    async answer(res, outcome, task) {
      const answer = await answerFor(outcome, task, queue);
      res.status(answer.status).set(answer.headers).type('application/json').send(answer.body);
    },
  };
}
