// /tasks routes: Cloud Tasks delivers row and pump tasks here; the queue adapter reads, runs and answers each one.
import type { IncomingHttpHeaders } from 'node:http';
import { Router, type Request, type Response } from 'express';
import type { TaskKind } from '../../ports/queue.js';

/** One delivery as the route hands it to the queue. */
export interface TaskDelivery {
  readonly body: unknown;
  readonly headers: IncomingHttpHeaders;
  /** The kind the route is mounted for: a body of another kind is refused. */
  readonly kind: TaskKind;
}

export interface TaskAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The queue's side of a delivery: parse it, run the handler the queue was started with, answer through `respond`.
 * Resolves 'abandoned' when the queue dropped the delivery unanswered (a halted instance): the route then drops the
 * connection, so Cloud Tasks retries it as it would after a crash.
 */
export type TaskReceiver = (delivery: TaskDelivery, respond: (answer: TaskAnswer) => void) => Promise<'answered' | 'abandoned'>;

/** Where /tasks deliveries go, and who may send them. */
export interface TaskIntake {
  readonly receive: TaskReceiver;
  /** Verifies that a /tasks request comes from the queue; throws an error with `status` and `code` otherwise. */
  readonly authenticate: (req: Request) => Promise<void>;
}

export function taskRoutes(receive: TaskReceiver): Router {
  const router = Router();
  const deliver = (kind: TaskKind) => async (req: Request, res: Response) => {
    const result = await receive({ body: req.body, headers: req.headers, kind }, (answer) => {
      res.status(answer.status).set(answer.headers).send(answer.body);
    });
    if (result === 'abandoned') req.socket.destroy();
  };
  router.post('/tasks/row', deliver('row'));
  router.post('/tasks/pump', deliver('pump'));
  return router;
}
