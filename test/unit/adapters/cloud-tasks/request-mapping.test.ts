// The pure halves of the HTTP route: a Cloud Tasks request → DeliveredTask, and an outcome → the HTTP answer.
import { describe, expect, it } from 'vitest';
import { answerFor, deliveredTaskFromRequest, TaskRequestError, type ContinuationQueue } from '../../../../backend/src/adapters/cloud-tasks/index.js';
import type { DeliveredTask } from '../../../../backend/src/ports/queue.js';

const body = { name: 'row-abc', kind: 'row', payload: { jobId: 'j1', rowId: 'r1', dispatchSeq: 2 } };
const task: DeliveredTask = { name: 'row-abc', kind: 'row', payload: { jobId: 'j1', rowId: 'r1', dispatchSeq: 2 }, deliveryAttempt: 3 };

function recordingQueue(fail = false): ContinuationQueue & { calls: Array<[DeliveredTask, number]> } {
  const calls: Array<[DeliveredTask, number]> = [];
  return {
    calls,
    continueLater: (t, delayMs) => {
      calls.push([t, delayMs]);
      return fail ? Promise.reject(new Error('UNAVAILABLE')) : Promise.resolve();
    },
  };
}

describe('deliveredTaskFromRequest', () => {
  it('reads the body as bytes, text or parsed JSON, and counts deliveries from the retry header', () => {
    const headers = { 'x-cloudtasks-taskretrycount': '0' };
    expect(deliveredTaskFromRequest(Buffer.from(JSON.stringify(body)), headers)).toEqual({ ...task, deliveryAttempt: 1 });
    expect(deliveredTaskFromRequest(JSON.stringify(body), { 'X-CloudTasks-TaskRetryCount': '4' }).deliveryAttempt).toBe(5);
    expect(deliveredTaskFromRequest({ ...body, attemptOffset: 2 }, headers)).toEqual(task);
  });

  it('passes on only the payload fields the port defines', () => {
    const delivered = deliveredTaskFromRequest({ name: 'pump-1', kind: 'pump', payload: { jobId: 'j', extra: 'dropped' } }, { 'x-cloudtasks-taskretrycount': ['1'] });
    expect(delivered).toEqual({ name: 'pump-1', kind: 'pump', payload: { jobId: 'j' }, deliveryAttempt: 2 });
  });

  it('refuses what is not one of our tasks with a TaskRequestError', () => {
    const headers = { 'x-cloudtasks-taskretrycount': '0' };
    const refuse = (b: unknown, h: Record<string, string> = headers) => () => deliveredTaskFromRequest(b, h);
    expect(refuse('not json')).toThrow(new TaskRequestError('Expected the task body to be JSON'));
    expect(refuse([1])).toThrow('Expected the task body to be a JSON object');
    expect(refuse({ ...body, kind: 'mail' })).toThrow("Expected the task body's `kind` to be 'row' or 'pump', got `mail`");
    expect(refuse({ ...body, payload: {} })).toThrow('Expected `payload.jobId` to be a non-empty string');
    expect(refuse({ ...body, attemptOffset: -1 })).toThrow("Expected the task body's `attemptOffset` to be an integer from 0 up, got `-1`");
    expect(refuse(body, {})).toThrow('Expected an X-CloudTasks-TaskRetryCount header with a whole number, got `undefined`');
  });
});

describe('answerFor', () => {
  it('answers ok with 200', async () => {
    const queue = recordingQueue();
    expect(await answerFor({ status: 'ok' }, task, queue)).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    expect(queue.calls).toHaveLength(0);
  });

  it('answers a slow-down with 429 and Retry-After in whole seconds, rounded up, and no continuation', async () => {
    const queue = recordingQueue();
    const answer = await answerFor({ status: 'retry', slowDown: true, retryAfterMs: 1200, reason: 'rate_limit' }, task, queue);
    expect(answer).toMatchObject({ status: 429, headers: { 'Retry-After': '2' } });
    expect(JSON.parse(answer.body)).toEqual({ status: 'retry', reason: 'rate_limit' });
    expect((await answerFor({ status: 'retry', slowDown: true }, task, queue)).headers).not.toHaveProperty('Retry-After');
    expect(queue.calls).toHaveLength(0);
  });

  it('answers a retry with a precise delay by enqueueing a continuation, then 200', async () => {
    const queue = recordingQueue();
    const answer = await answerFor({ status: 'retry', retryAfterMs: 300, reason: 'not yet due' }, task, queue);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'retry', reason: 'not yet due', continuation: 'enqueued' });
    expect(queue.calls).toEqual([[task, 300]]);
  });

  it('leaves the retry to Cloud Tasks (500) when no delay is named, the outcome is invalid, or the continuation fails', async () => {
    expect((await answerFor({ status: 'retry' }, task, recordingQueue())).status).toBe(500);
    expect((await answerFor({ status: 'retry', retryAfterMs: Number.NaN }, task, recordingQueue())).status).toBe(500);
    expect((await answerFor({ status: 'maybe' } as never, task, recordingQueue())).status).toBe(500);
    const failing = recordingQueue(true);
    const answer = await answerFor({ status: 'retry', retryAfterMs: 10 }, task, failing);
    expect(answer.status).toBe(500);
    expect(failing.calls).toHaveLength(1);
  });
});
