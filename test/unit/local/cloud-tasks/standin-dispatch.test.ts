// The stand-in as a dispatcher: schedule time, headers and OIDC token, backoff, Retry-After, rate, concurrency, slow-down, deadline.
import { OAuth2Client } from 'google-auth-library';
import { afterEach, describe, expect, it } from 'vitest';
import { createQueue, httpTask, ms, pause, SERVICE_ACCOUNT, startRig, until, type Rig } from './fixtures.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const gaps = (times: readonly number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);

describe('dispatch', () => {
  it('POSTs a task no earlier than its schedule time, with the Cloud Tasks headers and a verifiable OIDC token', async () => {
    rig = await startRig();
    const queue = await createQueue(rig.client);
    const scheduleAt = Date.now() + 300;
    await rig.client.createTask(httpTask(rig, queue, 'hello', { scheduleTime: ms(scheduleAt) }));
    await until(() => rig!.arrivals.length === 1, 'the delivery');
    const [arrival] = rig.arrivals;
    expect(arrival!.at).toBeGreaterThanOrEqual(scheduleAt);
    expect(arrival!.path).toBe('/tasks/row');
    expect(arrival!.body).toBe('{"id":"hello"}');
    expect(arrival!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Google-Cloud-Tasks',
      'x-cloudtasks-queuename': queue.split('/').pop(),
      'x-cloudtasks-taskname': 'hello',
      'x-cloudtasks-taskretrycount': '0',
      'x-cloudtasks-taskexecutioncount': '0',
      'x-cloudtasks-tasketa': (scheduleAt / 1000).toFixed(6),
    });

    const token = String(arrival!.headers.authorization).replace(/^Bearer /, '');
    const audience = `${rig.target.url}/tasks/row`;
    const ticket = await new OAuth2Client().verifySignedJwtWithCertsAsync(token, rig.standIn.certificates(), audience, ['https://accounts.google.com']);
    expect(ticket.getPayload()).toMatchObject({ email: SERVICE_ACCOUNT, email_verified: true, aud: audience });
    expect(rig.standIn.jwks().keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', kid: rig.standIn.issuer.keyId });
  });

  it('uses an injected signer for the bearer token', async () => {
    const seen: unknown[] = [];
    rig = await startRig({
      signer: (request) => {
        seen.push(request);
        return 'signed-elsewhere';
      },
    });
    const queue = await createQueue(rig.client);
    const request = httpTask(rig, queue, 'custom');
    request.task!.httpRequest!.oidcToken!.audience = 'https://rowfill.example';
    await rig.client.createTask(request);
    await until(() => rig!.arrivals.length === 1, 'the delivery');
    expect(rig.arrivals[0]!.headers.authorization).toBe('Bearer signed-elsewhere');
    expect(seen).toEqual([{ serviceAccountEmail: SERVICE_ACCOUNT, audience: 'https://rowfill.example' }]);
  });

  it('retries failures after the doubling backoff, counting retries and non-5xx executions in the headers', async () => {
    rig = await startRig();
    const queue = await createQueue(rig.client, { retryConfig: { minBackoff: ms(100), maxBackoff: ms(10_000) } });
    rig.answer = (_, index) => ({ status: [404, 500, 200][index] ?? 200 });
    await rig.client.createTask(httpTask(rig, queue, 'flaky'));
    await until(() => rig!.arrivals.length === 3 && rig!.standIn.tasks(queue).length === 0, 'three attempts');
    const headers = rig.arrivals.map((a) => a.headers);
    expect(headers.map((h) => h['x-cloudtasks-taskretrycount'])).toEqual(['0', '1', '2']);
    expect(headers.map((h) => h['x-cloudtasks-taskexecutioncount'])).toEqual(['0', '1', '1']);
    expect(headers.map((h) => h['x-cloudtasks-taskpreviousresponse'])).toEqual([undefined, '404', '500']);
    const [first, second] = gaps(rig.arrivals.map((a) => a.at));
    expect(first).toBeGreaterThanOrEqual(100);
    expect(second).toBeGreaterThanOrEqual(200);
  });

  it('waits at least as long as a Retry-After asks, never less than its backoff', async () => {
    rig = await startRig();
    const queue = await createQueue(rig.client, { retryConfig: { minBackoff: ms(10), maxBackoff: ms(10_000) } });
    rig.answer = (_, index) => (index === 0 ? { status: 503, headers: { 'Retry-After': '1' } } : { status: 200 });
    await rig.client.createTask(httpTask(rig, queue, 'later'));
    await until(() => rig!.arrivals.length === 2, 'the retry');
    expect(gaps(rig.arrivals.map((a) => a.at))[0]).toBeGreaterThanOrEqual(1000);
  });

  it('deletes a task after max_attempts and keeps its name deduplicating', async () => {
    rig = await startRig();
    const queue = await createQueue(rig.client, { retryConfig: { maxAttempts: 2, minBackoff: ms(10), maxBackoff: ms(10) } });
    rig.answer = () => ({ status: 500 });
    await rig.client.createTask(httpTask(rig, queue, 'doomed'));
    await until(() => rig!.standIn.queues().find((q) => q.name === queue)!.dropped === 1, 'the drop');
    expect(rig.arrivals).toHaveLength(2);
    await expect(rig.client.createTask(httpTask(rig, queue, 'doomed'))).rejects.toMatchObject({ code: 6 });
  });

  it('keeps to max_dispatches_per_second with a burst of a fifth of a second', async () => {
    rig = await startRig();
    const queue = await createQueue(rig.client, { rateLimits: { maxDispatchesPerSecond: 20 } });
    await rig.client.pauseQueue({ name: queue });
    await Promise.all(Array.from({ length: 30 }, (_, i) => rig!.client.createTask(httpTask(rig!, queue, `r${i}`))));
    await rig.client.resumeQueue({ name: queue });
    await until(() => rig!.arrivals.length === 30, 'thirty deliveries');
    const times = rig.arrivals.map((a) => a.at);
    // 4 at once, then one every 50 ms: 26 more take about 1.3 s.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(1150);
    expect(times.filter((t) => t < times[0]! + 1000).length).toBeLessThanOrEqual(25);
  });

  it('never has more than max_concurrent_dispatches requests open', async () => {
    rig = await startRig();
    const queue = await createQueue(rig.client, { rateLimits: { maxConcurrentDispatches: 3 } });
    let open = 0;
    let most = 0;
    rig.answer = async () => {
      most = Math.max(most, ++open);
      await pause(30);
      open -= 1;
      return { status: 200 };
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => rig!.client.createTask(httpTask(rig!, queue, `c${i}`))));
    await until(() => rig!.standIn.tasks(queue).length === 0 && rig!.arrivals.length === 12, 'all twelve');
    expect(most).toBe(3);
  });

  it('halves the dispatch rate on 429, once for a burst of them', async () => {
    rig = await startRig();
    const queue = await createQueue(rig.client, { rateLimits: { maxDispatchesPerSecond: 100 }, retryConfig: { minBackoff: ms(5_000) } });
    rig.answer = () => ({ status: 429 });
    await Promise.all(Array.from({ length: 5 }, (_, i) => rig!.client.createTask(httpTask(rig!, queue, `t${i}`))));
    await until(() => rig!.arrivals.length === 5, 'five answers');
    await pause(50);
    const stats = rig.standIn.queues().find((q) => q.name === queue)!;
    expect(stats).toMatchObject({ throttled: 5, slowDowns: 1 });
    expect(stats.currentRatePerSecond).toBeGreaterThanOrEqual(50);
    expect(stats.currentRatePerSecond).toBeLessThan(60);
  });

  it('abandons an attempt at its dispatch deadline and retries it', async () => {
    rig = await startRig({ minDispatchDeadlineMs: 50 });
    const queue = await createQueue(rig.client, { retryConfig: { minBackoff: ms(10) } });
    rig.answer = async (_, index) => {
      if (index === 0) await pause(1_000);
      return { status: 200 };
    };
    await rig.client.createTask(httpTask(rig, queue, 'slow', { dispatchDeadline: ms(200) }));
    await until(() => rig!.arrivals.length === 2, 'the retry');
    expect(rig.arrivals[1]!.at - rig.arrivals[0]!.at).toBeGreaterThanOrEqual(200);
    expect(rig.arrivals[1]!.at - rig.arrivals[0]!.at).toBeLessThan(900);
    expect(rig.arrivals[1]!.headers['x-cloudtasks-taskpreviousresponse']).toBe('0');
  });

  it('holds tasks while the queue is paused', async () => {
    rig = await startRig();
    const queue = await createQueue(rig.client);
    await rig.client.pauseQueue({ name: queue });
    await rig.client.createTask(httpTask(rig, queue, 'held'));
    await pause(150);
    expect(rig.arrivals).toHaveLength(0);
    await rig.client.resumeQueue({ name: queue });
    await until(() => rig!.arrivals.length === 1, 'the delivery after resume');
  });
});
