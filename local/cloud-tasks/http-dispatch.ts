// Sends one attempt of a task: its HTTP request with Cloud Tasks' headers, cut off at the dispatch deadline.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { status } from '@grpc/grpc-js';
import { retryAfterMs } from './retry-after.js';

export interface OutgoingAttempt {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
  readonly deadlineMs: number;
}

export type AttemptResult =
  | { readonly kind: 'response'; readonly status: number; readonly retryAfterMs: number | undefined }
  /** No answer: the deadline passed, the connection failed, or the stand-in gave up on it (close, DeleteTask). */
  | { readonly kind: 'no_response'; readonly code: status; readonly message: string };

export class HttpDispatch {
  // Keep-alive like Google's front ends, and no socket cap: the queue's max_concurrent_dispatches is the only limit.
  readonly #http = new HttpAgent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  readonly #https = new HttpsAgent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

  /** Never rejects. `cancel` aborts the attempt from outside (the task was deleted or the stand-in is closing). */
  send(attempt: OutgoingAttempt, cancel: AbortSignal): Promise<AttemptResult> {
    return new Promise((resolve) => {
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, attempt.deadlineMs);
      const onCancel = (): void => controller.abort();
      cancel.addEventListener('abort', onCancel, { once: true });
      const finish = (result: AttemptResult): void => {
        clearTimeout(timer);
        cancel.removeEventListener('abort', onCancel);
        resolve(result);
      };

      const secure = attempt.url.startsWith('https:');
      const headers: Record<string, string> = { ...attempt.headers };
      if (attempt.body) headers['Content-Length'] = String(attempt.body.length);
      const options = { method: attempt.method, headers, agent: secure ? this.#https : this.#http, signal: controller.signal };
      const onResponse = (res: IncomingMessage): void => {
        // The attempt is decided by the status line; the body is read and dropped so the socket can be reused.
        res.resume();
        res.on('error', () => undefined);
        finish({ kind: 'response', status: res.statusCode ?? 0, retryAfterMs: retryAfterMs(res.headers['retry-after'], Date.now()) });
      };
      const req = secure ? httpsRequest(attempt.url, options, onResponse) : httpRequest(attempt.url, options, onResponse);
      req.on('error', (error: Error) => {
        if (timedOut) finish({ kind: 'no_response', code: status.DEADLINE_EXCEEDED, message: 'the target did not answer before the dispatch deadline' });
        else if (cancel.aborted) finish({ kind: 'no_response', code: status.CANCELLED, message: 'the attempt was cancelled' });
        else finish({ kind: 'no_response', code: status.UNAVAILABLE, message: `the target could not be reached: ${error.message}` });
      });
      if (cancel.aborted) controller.abort();
      req.end(attempt.body);
    });
  }

  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}
