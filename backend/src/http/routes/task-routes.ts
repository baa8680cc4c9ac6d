// /tasks routes: the queue delivers row and pump tasks here; the transport's own codec reads and answers them.
import { Router, type Request, type Response } from 'express';
import type { DeliveredTask, TaskHandler, TaskOutcome } from '../../ports/queue.js';

/** How one queue transport turns an HTTP delivery into a task and an outcome into an HTTP answer. */
export interface TaskCodec {
  read(req: Request): DeliveredTask;
  answer(res: Response, outcome: TaskOutcome, task: DeliveredTask): Promise<void>;
}

export function taskRoutes(handler: TaskHandler, codec: TaskCodec): Router {
  const router = Router();
  const deliver = async (req: Request, res: Response) => {
    const task = codec.read(req);
    await codec.answer(res, await handler(task), task);
  };
  router.post('/tasks/row', deliver);
  router.post('/tasks/pump', deliver);
  return router;
}
